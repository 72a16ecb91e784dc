// The side panels: the project's indicators through the API (API key typed in, held in memory
// only) and the form that sends an update (secret typed in).
import { cleanDetails, errorBox, formatAge, h, sparkline, statusClass } from './format.js';
import { logPoints } from './pyfloat.js';

/**
 * An OkerrError as the person at the screen reads it. From another origin the browser hides the
 * API's and /update's answers (`CORS`): the package's message then tells a developer how to
 * change the code; the operator gets what they can do instead.
 */
function failure(e, heading, whatToDo) {
  return e?.code === 'CORS' ? errorBox(e, heading, whatToDo, { replace: true }) : errorBox(e, heading);
}

const API_ELSEWHERE =
  'This page cannot read the okerr server’s API from here: the server does not let pages from another address use it, or it could not be reached. Open the dashboard from the okerr server’s own address, or use the okerrapi command on a computer.';
const UPDATE_ELSEWHERE =
  'This page cannot see the okerr server’s answer from here: the update may or may not have arrived (the board will show it). Send updates from the dashboard at the okerr server’s own address, or with the okerrupdate command on a computer.';

const ASKED = {
  key: { title: 'Send the API key to another server?', what: 'the API key: it can read and change every indicator of the project' },
  secret: { title: 'Send the secret to another server?', what: 'the secret: it can update the indicators it is for' },
};

/**
 * Asks in `box` whether `what` ('key' or 'secret') may go to `origin`, a server other than this
 * page's own (`own`). Resolves true when the person confirms, false when they cancel; a question
 * that is replaced before an answer never resolves, and sends nothing.
 */
export function askToSend(box, { origin, own, what }) {
  const asked = ASKED[what];
  let host = origin;
  try {
    host = new URL(origin).host;
  } catch {
    // Shown whole.
  }
  return new Promise((resolve) => {
    const title = h('strong', { id: `ask-${what}` }, asked.title);
    const answer = (yes) => {
      notice.remove();
      resolve(yes);
    };
    const cancel = h('button.button.ghost.small', { type: 'button', onclick: () => answer(false) }, 'Cancel');
    const notice = h(
      'div.notice.warn',
      { role: 'group', 'aria-labelledby': `ask-${what}`, 'data-testid': 'confirm-server' },
      h('div.notice-head', {}, title),
      h(
        'p.notice-text',
        {},
        'This board talks to ',
        h('code', {}, origin),
        ', not to this page’s own server (',
        h('code', {}, own),
        `). Whoever runs it gets ${asked.what}. Go on only if you trust it.`,
      ),
      h(
        'div.confirm-row',
        {},
        h('button.button.small', { type: 'button', 'data-confirm': 'send', onclick: () => answer(true) }, `Send to ${host}`),
        cancel,
      ),
    );
    box.replaceChildren(notice);
    // The safe answer has the focus: Enter twice sends nothing.
    cancel.focus();
  });
}

/** `numerical|maxlim=90`: the method line of an indicator's API JSON, without secret or state. */
export function methodLine(ind) {
  const skip = new Set(['secret', 'current', 'str']);
  const args = Object.entries(ind.args ?? {}).filter(([k, v]) => v !== '' && v !== null && !skip.has(k));
  return [ind.checkmethod, ...args.map(([k, v]) => `${k}=${v}`)].join('|');
}

/** What to put in the status field to re-send an indicator's current state. */
function currentValue(ind) {
  if (ind.checkmethod === 'numerical') return ind.args?.current ?? '';
  if (ind.checkmethod === 'string') return ind.args?.str ?? '';
  return ind.status ?? '';
}

export class IndicatorPanel {
  /**
   * `makeProject(apiKey)`: an OkerrProject of the current project holding that key;
   * `allow(box)`: resolves true when the key may go to the server now (it may ask in `box`);
   * `onNames(names)`: the names listed; `onPick(ind)`: the user wants to update this indicator.
   */
  constructor(root, { makeProject, allow, onNames, onPick }) {
    this.root = root;
    this.makeProject = makeProject;
    this.allow = allow;
    this.onNames = onNames;
    this.onPick = onPick;
    // The only reference to the key: inside this project object, in this tab's memory.
    this.project = null;
    // A project whose key is being tried (connect() in progress).
    this.pending = null;
    this.names = [];
    this.status = new Map();
    this.open = null;
    this.el = {
      connect: root.querySelector('[data-api=connect]'),
      key: root.querySelector('[data-api=key]'),
      connected: root.querySelector('[data-api=connected]'),
      forget: root.querySelector('[data-api=forget]'),
      reload: root.querySelector('[data-api=reload]'),
      filter: root.querySelector('[data-api=filter]'),
      count: root.querySelector('[data-api=count]'),
      list: root.querySelector('[data-api=list]'),
      message: root.querySelector('[data-api=message]'),
    };
    this.el.connect.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.connect();
    });
    this.el.forget.addEventListener('click', () => this.forget());
    this.el.reload.addEventListener('click', () => this.load());
    this.el.filter.addEventListener('input', () => this.renderList());
    this.renderState();
  }

  async connect() {
    const key = this.el.key.value.trim();
    if (!key) {
      this.el.message.replaceChildren(h('p.hint.bad-text', {}, 'Type the API key first.'));
      this.el.key.focus();
      return;
    }
    if (!(await this.allow(this.el.message))) {
      this.el.key.focus();
      return;
    }
    let project;
    try {
      project = this.makeProject(key);
    } catch (e) {
      this.el.message.replaceChildren(failure(e, 'Not connected.', API_ELSEWHERE));
      return;
    }
    // Only keep the key once the server accepted it; the field is emptied either way.
    this.el.key.value = '';
    this.pending = project;
    const ok = await this.load(project);
    if (this.pending !== project) return;
    this.pending = null;
    if (ok) {
      this.project?.free();
      this.project = project;
    } else {
      project.free();
    }
    this.renderState();
  }

  /** Drops the key: frees the project that held it. */
  forget() {
    this.pending?.free();
    this.pending = null;
    this.project?.free();
    this.project = null;
    this.names = [];
    this.status.clear();
    this.open = null;
    this.el.message.replaceChildren();
    this.onNames([]);
    this.renderState();
  }

  /** Lists the indicators (with `project`, or the connected one); false when that failed. */
  async load(project = this.project) {
    if (!project) return false;
    this.root.classList.add('is-loading');
    try {
      // The API lists names only; two filters give every indicator's status in two more calls.
      const [names, ok, err] = await Promise.all([project.listIndicators(), project.filter('OK'), project.filter('ERR')]);
      if (project !== this.project && project !== this.pending) return false;
      this.names = names;
      this.status = new Map([...ok.map((n) => [n, 'OK']), ...err.map((n) => [n, 'ERR'])]);
      this.el.message.replaceChildren();
      this.onNames(names);
      this.renderList();
      if (this.open) this.showDetails(this.open, project);
      return true;
    } catch (e) {
      if (project !== this.project && project !== this.pending) return false;
      this.el.message.replaceChildren(failure(e, this.project === project ? 'Could not list indicators.' : 'Not connected.', API_ELSEWHERE));
      return false;
    } finally {
      this.root.classList.remove('is-loading');
    }
  }

  renderState() {
    const on = Boolean(this.project);
    this.el.connect.hidden = on;
    this.el.connected.hidden = !on;
    if (!on) this.el.list.replaceChildren();
  }

  renderList() {
    const q = this.el.filter.value.trim().toLowerCase();
    const shown = this.names.filter((n) => n.toLowerCase().includes(q));
    this.el.count.textContent = q ? `${shown.length} of ${this.names.length}` : `${this.names.length}`;
    this.el.list.replaceChildren(
      ...shown.map((name) => {
        const status = this.status.get(name) ?? 'off';
        return h(
          'li.ind',
          { dataset: { name } },
          h(
            'button.ind-button',
            { type: 'button', 'aria-expanded': String(this.open === name), onclick: () => this.toggle(name) },
            h(`span.dot.${status === 'off' ? 'other' : statusClass(status)}`, { title: status === 'off' ? 'disabled' : status }),
            h('span.ind-name', {}, name),
            h('span.chev', { 'aria-hidden': 'true' }, '›'),
          ),
          this.open === name ? h('div.ind-details', { 'data-api': 'details' }, h('p.muted', {}, 'Loading…')) : null,
        );
      }),
    );
    if (shown.length === 0) this.el.list.append(h('li.empty', {}, this.names.length ? 'No indicator matches.' : 'This project has no indicators.'));
    if (this.open && shown.includes(this.open)) this.showDetails(this.open);
  }

  toggle(name) {
    this.open = this.open === name ? null : name;
    this.renderList();
  }

  async showDetails(name, project = this.project) {
    const li = [...this.el.list.children].find((c) => c.dataset.name === name);
    const box = li?.querySelector('[data-api=details]');
    if (!box || !project) return;
    let ind;
    let log = [];
    try {
      ind = await project.getIndicator(name);
      // The history is a nice-to-have: the details stand without it.
      if (ind.checkmethod === 'numerical') log = await project.updateLog(name).catch(() => []);
    } catch (e) {
      box.replaceChildren(failure(e, null, API_ELSEWHERE));
      return;
    }
    const cls = ind.disabled ? 'other' : statusClass(ind.status);
    const line = methodLine(ind);
    const flags = (ind.flags ?? []).filter((f) => f !== 'OK' && f !== 'ERR');
    const userTags = (ind.tags ?? []).filter((t) => !(ind.flags ?? []).includes(t) && !/^(policy:|passive$|active$|ATTENTION$)/.test(t) && t !== ind.checkmethod);
    const dl = (label, value) => (value === '' || value === null || value === undefined ? null : [h('dt', {}, label), h('dd', {}, value)]);
    // The server keeps a log of numerical updates only; each `y` is the text that was sent.
    const chart = ind.checkmethod === 'numerical' ? (sparkline(logPoints(log).slice(-50)) ?? h('p.hint', {}, 'No values to chart yet.')) : null;
    // `chart` may be null: append() would print that as the text "null".
    const parts = [
      h(
        'dl.facts',
        {},
        dl('Status', h(`span.badge.${cls}`, {}, ind.disabled ? 'disabled' : ind.status)),
        dl('Details', cleanDetails(ind.details) || null),
        dl('Method', h('code', {}, line)),
        dl('Policy', ind.policyname),
        dl('Updated', typeof ind.age === 'number' ? `${formatAge(ind.age)} ago` : null),
        dl('In status', typeof ind.statusage === 'number' ? `${ind.disabled ? 'disabled' : ind.status} for ${formatAge(ind.statusage)}` : null),
        dl('Problem', ind.error || null),
        dl('Flags', flags.length ? flags.join(', ') : null),
        dl('Tags', userTags.length ? userTags.join(', ') : null),
        dl('Description', ind.desc || null),
      ),
      chart,
      h(
        'button.button.small',
        { type: 'button', onclick: () => this.onPick({ name, method: line, status: currentValue(ind) }) },
        'Update this indicator',
      ),
    ];
    box.replaceChildren(...parts.filter(Boolean));
  }
}

export class UpdateForm {
  /**
   * `makeProject(secret)`: an OkerrProject of the current project; `allow(box)`: resolves true
   * when a secret may go to the server now (it may ask in `box`); `onSent()`: after a success.
   */
  constructor(form, { makeProject, allow, onSent }) {
    this.form = form;
    this.makeProject = makeProject;
    this.allow = allow;
    this.onSent = onSent;
    this.result = form.querySelector('[data-update=result]');
    this.button = form.querySelector('button[type=submit]');
    this.names = form.querySelector('#known-names');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.send();
    });
  }

  field(name) {
    return this.form.elements.namedItem(name);
  }

  /** Offers the listed names as suggestions for the name field. */
  setNames(names) {
    this.names.replaceChildren(...names.map((n) => h('option', { value: n })));
  }

  /** Fills the form from an indicator picked in the list (the secret stays as typed). */
  fill({ name, method, status }) {
    this.field('name').value = name;
    this.field('method').value = method;
    this.field('status').value = status;
    this.field('details').value = '';
    this.form.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    this.field('status').focus();
  }

  async send() {
    const v = (k) => this.field(k).value.trim();
    const name = v('name');
    const method = v('method');
    const status = v('status');
    const details = v('details');
    // An update without a secret holds no credential: only a typed secret waits for the answer.
    if (this.field('secret').value && !(await this.allow(this.result))) {
      this.field('secret').focus();
      return;
    }
    this.button.disabled = true;
    this.form.classList.add('is-loading');
    this.result.replaceChildren(h('p.muted', {}, 'Sending…'));
    let project;
    let ind;
    try {
      project = this.makeProject(this.field('secret').value);
      ind = project.indicator(name, method ? { method } : {});
      const r = await ind.update(status, details || undefined);
      // With no throttle, no dry run and same-origin delivery, `sent` is the only success.
      const text = r.reason === 'sent' ? 'accepted by the server' : r.reason;
      this.result.replaceChildren(
        h(
          'div.notice.good',
          { role: 'status', 'data-testid': 'update-ok', dataset: { reason: r.reason } },
          h('div.notice-head', {}, h('strong', {}, r.sent ? '✓ Sent' : 'Not sent'), h('span.http', {}, new Date().toLocaleTimeString())),
          h('p.notice-text', {}, h('code', {}, ind.name), ` = ${status}: ${text}.`),
        ),
      );
      this.onSent();
    } catch (e) {
      this.result.replaceChildren(failure(e, e?.code === 'CORS' ? 'Not confirmed' : 'Not sent', UPDATE_ELSEWHERE));
      // Unconfirmed is not unsent: the board tells whether it arrived.
      if (e?.code === 'CORS') this.onSent();
    } finally {
      ind?.free();
      project?.free();
      this.button.disabled = false;
      this.form.classList.remove('is-loading');
    }
  }
}
