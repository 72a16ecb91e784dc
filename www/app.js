// The dashboard page: which project and server (from the address bar), then the board and panels.
// Credentials are never put in the address bar or in storage.
import { OkerrProject } from 'okerrupdate';
import { Board } from './board.js';
import { errorBox } from './format.js';
import { IndicatorPanel, UpdateForm } from './panels.js';

/** `?textid=demo&page=index&server=https://…`; the server defaults to this page's origin. */
function readSettings() {
  const q = new URLSearchParams(location.search);
  return {
    textid: q.get('textid')?.trim() ?? '',
    page: q.get('page')?.trim() || 'index',
    server: q.get('server')?.trim() || new URL('/', location.href).href,
  };
}

function writeSettings(s) {
  const q = new URLSearchParams();
  if (s.textid) q.set('textid', s.textid);
  if (s.page !== 'index') q.set('page', s.page);
  if (s.server !== new URL('/', location.href).href) q.set('server', s.server);
  history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
}

function main() {
  let settings = readSettings();
  const $ = (sel) => document.querySelector(sel);

  // Straight to the server (`direct`): a page cannot read the director's answer from another
  // origin, and the server serving this page is the one that holds the project.
  const options = (more) => ({ textid: settings.textid, url: settings.server, direct: true, ...more });
  let publicProject = null;
  const board = new Board($('#board'), () => publicProject);

  const panel = new IndicatorPanel($('#api-panel'), {
    makeProject: (apiKey) => new OkerrProject(options({ apiKey })),
    onNames: (names) => form.setNames(names),
    onPick: (ind) => form.fill(ind),
  });
  const form = new UpdateForm($('#update-form'), {
    // Someone pressing Send wants it sent: no throttle, and a short wait when the server is down.
    makeProject: (secret) => new OkerrProject(options({ secret: secret || undefined, throttleSeconds: 0, retries: 1, backoffMs: 1000 })),
    onSent: () => Promise.all([board.refresh({ afterChange: true }), panel.load()]),
  });

  const settingsForm = $('#settings');
  const apply = () => {
    writeSettings(settings);
    for (const k of ['textid', 'page', 'server']) settingsForm.elements.namedItem(k).value = settings[k];
    $('[data-project=textid]').textContent = settings.textid || 'no project';
    $('[data-project=page]').textContent = settings.page;
    panel.forget();
    publicProject?.free();
    publicProject = null;
    board.addr = settings.page;
    $('#settings-box').open = !settings.textid;
    if (!settings.textid) {
      board.clear('Choose a project: type its text id in “Project” above.');
      return;
    }
    try {
      publicProject = new OkerrProject(options());
    } catch (e) {
      board.clear('');
      $('[data-board=notices]').replaceChildren(errorBox(e, 'Check the project settings.'));
      return;
    }
    board.clear();
    board.refresh();
  };
  settingsForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = (k) => settingsForm.elements.namedItem(k).value.trim();
    settings = { textid: v('textid'), page: v('page') || 'index', server: v('server') || new URL('/', location.href).href };
    apply();
  });

  board.setInterval(15000);
  apply();
}

try {
  main();
} catch (e) {
  document.querySelector('#fatal').replaceChildren(errorBox(e, 'The dashboard could not start.'));
}
