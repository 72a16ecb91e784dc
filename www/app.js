// The dashboard page: which project and server (from the address bar), then the board and panels.
// Credentials are never put in the address bar or in storage, and go to a server other than
// this page's own only once the person at the screen has confirmed that server here.
import { OkerrProject } from 'okerrupdate';
import { Board } from './board.js';
import { errorBox, h, parseDuration } from './format.js';
import { askToSend, IndicatorPanel, UpdateForm } from './panels.js';
import { Announcer } from './signals.js';

/**
 * `?textid=demo&page=index&server=https://…`; the server defaults to this page's origin.
 * `view=wall` shows the board alone for a wall screen; `theme=light|dark` (a wall is dark unless
 * asked); `refresh=15` seconds between fetches (0: paused); `stale=2h`: an OK indicator not
 * updated for that long counts as stale.
 */
function readSettings() {
  const q = new URLSearchParams(location.search);
  const refresh = parseDuration(q.get('refresh'));
  return {
    textid: q.get('textid')?.trim() ?? '',
    page: q.get('page')?.trim() || 'index',
    server: q.get('server')?.trim() || new URL('/', location.href).href,
    wall: q.get('view') === 'wall',
    theme: ['light', 'dark'].includes(q.get('theme')) ? q.get('theme') : null,
    refreshMs: refresh === null ? 15000 : refresh === 0 ? 0 : Math.max(2, refresh) * 1000,
    staleAfter: parseDuration(q.get('stale')) || null,
  };
}

/** The address bar after the settings form: the fields it holds, the other parameters kept. */
function writeSettings(s) {
  const q = new URLSearchParams(location.search);
  for (const k of ['textid', 'page', 'server']) q.delete(k);
  const head = new URLSearchParams();
  if (s.textid) head.set('textid', s.textid);
  if (s.page !== 'index') head.set('page', s.page);
  if (s.server !== new URL('/', location.href).href) head.set('server', s.server);
  for (const [k, v] of q) head.append(k, v);
  history.replaceState(null, '', `${location.pathname}${head.size ? `?${head}` : ''}`);
}

/** `https://host:port` of a server address; null when it is not an http(s) URL. */
function originOf(server) {
  try {
    const url = new URL(server);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Where the panels may send an API key or a secret: this page's own server, and another one
 * only once the person at the screen has confirmed it in the page. A link can put any server in
 * `?server=`; following it must not hand over what is typed here. Confirmed servers are kept
 * in this page's memory only.
 */
class ServerTrust {
  /** `current()`: the server the page talks to now. */
  constructor(current) {
    this.current = current;
    this.confirmed = new Set();
  }

  /** The current server's origin when it is not this page's own, else null. */
  foreign() {
    const origin = originOf(this.current());
    return origin && origin !== location.origin ? origin : null;
  }

  /**
   * Resolves true when `what` may go to the current server now, asking in `box` first when it
   * is another one not yet confirmed; false when the person said no. The server is read again
   * after each answer: the settings may have changed meanwhile.
   */
  async allow(box, what) {
    for (;;) {
      const origin = this.foreign();
      // An address that is no http(s) URL: the project refuses it, and nothing is sent.
      if (!origin || this.confirmed.has(origin)) return true;
      if (!(await askToSend(box, { origin, own: location.origin, what }))) return false;
      this.confirmed.add(origin);
    }
  }
}

/** The wall keeps only what a screen nobody touches needs: no forms, no buttons, no key. */
function becomeWall() {
  document.documentElement.dataset.view = 'wall';
  for (const el of document.querySelectorAll('.side, label.interval, [data-board=refresh], [data-server=note]')) el.remove();
  const box = document.querySelector('#settings-box');
  const label = document.createElement('div');
  label.className = 'settings settings-static';
  label.append(...box.querySelector('summary').childNodes);
  box.replaceWith(label);
}

function main() {
  let settings = readSettings();
  const $ = (sel) => document.querySelector(sel);
  const theme = settings.theme ?? (settings.wall ? 'dark' : null);
  if (theme) document.documentElement.dataset.theme = theme;
  if (settings.wall) becomeWall();

  // Straight to the server (`direct`): a page cannot read the director's answer from another
  // origin, and the server serving this page is the one that holds the project.
  const options = (more) => ({ textid: settings.textid, url: settings.server, direct: true, ...more });
  const trust = new ServerTrust(() => settings.server);
  const board = new Board($('#board'), {
    wall: settings.wall,
    staleAfter: settings.staleAfter,
    announcer: new Announcer($('[data-live]')),
  });

  let panel = null;
  let form = null;
  if (!settings.wall) {
    panel = new IndicatorPanel($('#api-panel'), {
      allow: (box) => trust.allow(box, 'key'),
      makeProject: (apiKey) => new OkerrProject(options({ apiKey })),
      onNames: (names) => form.setNames(names),
      onPick: (ind) => form.fill(ind),
    });
    form = new UpdateForm($('#update-form'), {
      allow: (box) => trust.allow(box, 'secret'),
      // Someone pressing Send wants it sent: no throttle, and a short wait when the server is down.
      makeProject: (secret) => new OkerrProject(options({ secret: secret || undefined, throttleSeconds: 0, retries: 1, backoffMs: 1000 })),
      onSent: () => Promise.all([board.refresh({ afterChange: true }), panel.load()]),
    });
  }

  const settingsBox = $('#settings-box');
  const settingsForm = $('#settings');
  const apply = () => {
    if (settingsForm) {
      writeSettings(settings);
      for (const k of ['textid', 'page', 'server']) settingsForm.elements.namedItem(k).value = settings[k];
      settingsBox.open = !settings.textid;
    }
    $('[data-project=textid]').textContent = settings.textid || 'no project';
    $('[data-project=page]').textContent = settings.page;
    showServer(trust.foreign());
    panel?.forget();
    if (!settings.textid) {
      board.show({ makeProject: null, addr: settings.page }, settings.wall ? 'No project: add ?textid=… to the address.' : 'Choose a project: type its text id in “Project” above.');
      return;
    }
    // The board's requests get their own project: a short timeout and no retries (the board's
    // next refresh is the retry), so a dead server shows at once.
    const { textid, page, server } = settings;
    try {
      new OkerrProject(options()).free();
    } catch (e) {
      board.show({ makeProject: null, addr: page }, '');
      $('[data-board=notices]').replaceChildren(errorBox(e, 'Check the project settings.'));
      return;
    }
    board.show({ makeProject: (more) => new OkerrProject(options(more)), scope: `${server}|${textid}|${page}`, addr: page });
    board.refresh();
  };
  settingsForm?.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (k) => settingsForm.elements.namedItem(k).value.trim();
    settings = { ...settings, textid: v('textid'), page: v('page') || 'index', server: v('server') || new URL('/', location.href).href };
    apply();
  });
  // Escape closes the settings popover and gives the focus back to what opened it.
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !settingsBox?.open) return;
    settingsBox.open = false;
    settingsBox.querySelector('summary').focus();
  });

  /** Which server the board talks to: its host in the header, and a note when it is another one. */
  function showServer(foreign) {
    const server = $('[data-project=server]');
    let host = settings.server;
    try {
      host = new URL(settings.server).host || host;
    } catch {
      // Not a URL: shown as typed (the board says why it cannot be used).
    }
    server.textContent = host;
    server.classList.toggle('is-foreign', Boolean(foreign));
    server.title = foreign ? `Another server than this page's own (${location.origin})` : "This page's own server";
    const note = $('[data-server=note]');
    if (!note) return;
    note.hidden = !foreign;
    note.replaceChildren(
      ...(foreign
        ? [
            h('strong', {}, 'Another server. '),
            'This board talks to ',
            h('code', {}, foreign),
            ', not to this page’s own server (',
            h('code', {}, location.origin),
            '). An API key or a secret typed in this page goes there only once you confirm it.',
          ]
        : []),
    );
  }

  board.setInterval(settings.refreshMs);
  apply();
}

try {
  main();
} catch (e) {
  document.querySelector('#fatal').replaceChildren(errorBox(e, 'The dashboard could not start.'));
}
