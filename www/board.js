// The status board: a public status page (`project.statusPage(addr)`), chapter by chapter (or,
// on a wall, every indicator by urgency), refreshed on an interval and whenever the page asks.
// When the server cannot be reached the board says so at once, with the title and favicon, and
// never shows what it last received as current.
import { cleanDetails, errorBox, formatAge, formatClock, h, parseTimedelta, statusClass } from './format.js';
import { History } from './history.js';
import { setFavicon } from './signals.js';

/** A failure to reach the server at all: no connection, no answer in time, or (from another origin) either. */
export function isUnreachable(e) {
  return ['NETWORK', 'TIMEOUT', 'CORS'].includes(e?.code);
}

/** What the banner says of a failed refresh, from `since` (a time of day). */
function failureText(e, since) {
  if (isUnreachable(e)) return `Server unreachable since ${since}`;
  if (e?.code === 'REJECTED' || (typeof e?.status === 'number' && e.status >= 500)) return `Server error since ${since}`;
  return `Status page unavailable since ${since}`;
}

/**
 * The items of a status page, chapter by chapter: `[[chapter, [item]]]`. The real server's items
 * have no `name` (only the page entry's `title` and `desc`) and no unix times, so an item is
 * known by its name when there is one, else by its chapter and title.
 */
export function pageChapters(page) {
  const raw = page?.chapters && typeof page.chapters === 'object' ? Object.entries(page.chapters) : [];
  const keys = new Set();
  return raw.map(([chapter, list]) => [
    chapter,
    (Array.isArray(list) ? list : []).map((it, i) => {
      const name = typeof it?.name === 'string' && it.name ? it.name : null;
      const title = String(it?.title || name || it?.desc || `Indicator ${i + 1}`);
      let key = name ?? `${chapter}/${title}`;
      for (let n = 2; keys.has(key); n += 1) key = `${name ?? `${chapter}/${title}`}#${n}`;
      keys.add(key);
      const fromUnix = (u) => (typeof u === 'number' ? Date.now() / 1000 - u : null);
      return {
        key,
        chapter,
        name,
        title,
        desc: typeof it?.desc === 'string' ? it.desc : '',
        status: it?.status == null ? '?' : String(it.status),
        cls: statusClass(it?.status),
        details: cleanDetails(it?.details),
        updated: it?.updated ?? null,
        updatedAge: parseTimedelta(it?.updated_age) ?? fromUnix(it?.updated_unixtime),
        changedAge: parseTimedelta(it?.changed_age) ?? fromUnix(it?.changed_unixtime),
      };
    }),
  ]);
}

/** How urgent an item is: 0 ERR, 1 stale (another status, or no update for `staleAfter` s), 2 OK. */
function urgency(item, staleAfter) {
  if (item.cls === 'err') return 0;
  if (item.cls === 'other' || (staleAfter && item.updatedAge !== null && item.updatedAge > staleAfter)) return 1;
  return 2;
}

const KIND = ['err', 'stale', 'ok'];

export class Board {
  /**
   * `root`: the board's element. Options: `wall` (every indicator in one grid, most urgent
   * first), `staleAfter` (seconds without an update that make an OK indicator stale),
   * `announcer` (the live region).
   */
  constructor(root, { wall = false, staleAfter = null, announcer = null } = {}) {
    this.root = root;
    this.wall = wall;
    this.staleAfter = staleAfter;
    this.announcer = announcer;
    this.makeProject = null;
    this.project = null;
    this.projectTimeout = 0;
    this.history = null;
    this.addr = 'index';
    this.page = null;
    this.chapters = [];
    this.fetchedAt = 0;
    this.error = null;
    this.failingSince = null;
    this.loading = false;
    this.generation = 0;
    this.again = null;
    this.timer = null;
    this.intervalMs = 15000;
    const $ = (k) => root.querySelector(`[data-board=${k}]`);
    this.el = {
      title: $('title'),
      desc: $('desc'),
      summary: $('summary'),
      notices: $('notices'),
      chapters: $('chapters'),
      fresh: $('fresh'),
      interval: $('interval'),
      refresh: $('refresh'),
      note: $('note'),
    };
    this.el.refresh?.addEventListener('click', () => this.refresh());
    this.el.interval?.addEventListener('change', () => this.setInterval(Number(this.el.interval.value)));
    // Ages tick between fetches; a hidden tab does not poll, and catches up when shown again.
    setInterval(() => this.renderAges(), 1000);
    if (wall) addEventListener('resize', () => this.fitWall());
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && Date.now() - this.fetchedAt > this.intervalMs) this.refresh();
    });
  }

  /**
   * What to show: `makeProject({ timeoutMs, retries })` gives a credential-free OkerrProject of
   * the page's project; `scope` names its history. Forgets the page shown before.
   */
  show({ makeProject, scope, addr }, message) {
    this.project?.free();
    this.project = null;
    this.makeProject = makeProject;
    this.addr = addr;
    this.history = makeProject ? new History(scope) : null;
    this.clear(message);
  }

  setInterval(ms) {
    this.intervalMs = ms;
    if (this.el.interval) {
      if (![...this.el.interval.options].some((o) => o.value === String(ms))) {
        this.el.interval.append(h('option', { value: String(ms) }, `every ${formatAge(ms / 1000)}`));
      }
      this.el.interval.value = String(ms);
    }
    clearInterval(this.timer);
    this.timer = ms > 0 ? setInterval(() => !document.hidden && this.refresh(), ms) : null;
  }

  /**
   * The board's own project: a short timeout and no retries, so a dead server shows on the
   * refresh that found it dead (the next refresh is the retry). Half the interval, 1.5 to 5 s.
   */
  boardProject() {
    const timeoutMs = Math.round(Math.min(5000, Math.max(1500, (this.intervalMs || 10000) / 2)));
    if (this.project && this.projectTimeout === timeoutMs) return this.project;
    this.project?.free();
    this.project = this.makeProject?.({ timeoutMs, retries: 0 }) ?? null;
    this.projectTimeout = timeoutMs;
    return this.project;
  }

  /**
   * Fetches the page again; a call while a fetch is in flight shares it. With `afterChange` (an
   * update was just sent) the caller gets one more fetch after the one in flight, shared by every
   * such call: that fetch may have been answered before the change.
   */
  refresh({ afterChange = false } = {}) {
    if (this.loading && !afterChange) return this.loading;
    if (this.loading) {
      const generation = this.generation;
      const run = () => {
        if (generation !== this.generation) return undefined;
        this.again = null;
        return this.refresh();
      };
      // Whether the fetch in flight settled well or not, the queued one runs.
      this.again ??= this.loading.then(run, run);
      return this.again;
    }
    let project;
    try {
      project = this.boardProject();
    } catch (e) {
      this.error = e;
      this.render();
      return Promise.resolve();
    }
    if (!project) return Promise.resolve();
    const generation = this.generation;
    const askedAt = Date.now();
    this.root.classList.add('is-loading');
    if (this.el.refresh) this.el.refresh.disabled = true;
    this.loading = project
      .statusPage(this.addr)
      .then(
        (page) => ({ page }),
        (error) => ({ error }),
      )
      .then(({ page, error }) => {
        // An answer about the project or page shown before the last clear() is dropped.
        if (generation !== this.generation) return;
        this.loading = false;
        this.root.classList.remove('is-loading');
        if (this.el.refresh) this.el.refresh.disabled = false;
        let changed = [];
        if (page) {
          this.page = page;
          this.chapters = pageChapters(page);
          this.error = null;
          this.failingSince = null;
          this.fetchedAt = Date.now();
          const items = this.chapters.flatMap(([, list]) => list);
          changed = this.history.observe(items, this.fetchedAt / 1000);
        } else {
          this.error = error;
          this.failingSince ??= askedAt;
        }
        this.render(undefined, changed);
      });
    return this.loading;
  }

  /** Forgets the page shown (another project or page was chosen). */
  clear(message) {
    this.generation += 1;
    this.loading = false;
    this.again = null;
    this.root.classList.remove('is-loading');
    if (this.el.refresh) this.el.refresh.disabled = false;
    this.page = null;
    this.chapters = [];
    this.error = null;
    this.failingSince = null;
    this.fetchedAt = 0;
    this.render(message);
  }

  /** Every item with its urgency (0 ERR, 1 stale, 2 OK). */
  items() {
    return this.chapters.flatMap(([, list]) => list).map((item) => ({ item, rank: urgency(item, this.staleAfter) }));
  }

  /** `down` (no current data), `err`, `stale`, `ok`, `empty` (no indicators) or `none`. */
  state() {
    if (this.error) return 'down';
    if (!this.page) return 'none';
    const ranks = this.items().map((x) => x.rank);
    if (ranks.length === 0) return 'empty';
    return KIND[Math.min(...ranks)];
  }

  render(emptyMessage, changed = []) {
    const { page, error, el } = this;
    const state = this.state();
    const items = this.items();
    const bad = items.filter((x) => x.rank < 2).length;
    this.root.dataset.state = state;
    document.documentElement.dataset.state = state;
    this.root.classList.toggle('is-stale', Boolean(error && page));
    el.notices.replaceChildren();
    const title = page ? String(page.title || page.name || page.textid || 'Status') : 'Status';
    el.title.textContent = title;
    el.desc.textContent = page?.desc || '';

    // The banner, the title and the favicon say the same thing.
    let said;
    if (error) {
      said = failureText(error, formatClock(this.failingSince));
      el.summary.className = 'summary down';
      el.summary.replaceChildren(
        h('span.summary-icon', { 'aria-hidden': 'true' }, '×'),
        h(
          'span.summary-lines',
          {},
          h('span', { 'data-testid': 'summary-text' }, said),
          h(
            'span.summary-sub',
            { 'data-field': 'last-good' },
            page ? '' : 'Nothing received from it yet.',
          ),
        ),
      );
      el.notices.append(errorBox(error, page ? 'The last refresh failed:' : 'Could not load the status page:', operatorAdvice(error)));
      document.title = `(${isUnreachable(error) ? 'unreachable' : 'error'}) ${title} · okerr`;
      setFavicon('down');
    } else if (page) {
      const errs = items.filter((x) => x.rank === 0).length;
      said =
        items.length === 0
          ? 'This page has no indicators yet'
          : bad
            ? `${bad} of ${items.length} need attention`
            : `All ${items.length} indicators OK`;
      el.summary.className = `summary ${state === 'empty' ? 'other' : state}`;
      el.summary.replaceChildren(
        h('span.summary-icon', { 'aria-hidden': 'true' }, state === 'ok' ? '✓' : state === 'empty' ? '–' : '!'),
        h(
          'span.summary-lines',
          {},
          h('span', { 'data-testid': 'summary-text' }, said),
          errs && bad > errs ? h('span.summary-sub', {}, `${errs} ERR, ${bad - errs} stale or unknown`) : null,
        ),
      );
      document.title = `${bad ? `(${bad}) ` : ''}${title} · okerr`;
      setFavicon(state === 'empty' ? 'none' : state);
    } else {
      el.summary.className = 'summary';
      el.summary.replaceChildren();
      document.title = 'okerr dashboard';
      setFavicon('none');
    }
    for (const post of page?.blog ?? []) {
      el.notices.append(
        h('div.notice.info', {}, h('p.notice-text', {}, String(post?.text ?? '')), post?.created ? h('small.muted', {}, post.created) : null),
      );
    }

    if (!page) {
      el.chapters.replaceChildren(error ? '' : h('p.empty', {}, emptyMessage ?? 'Loading…'));
    } else if (this.wall) {
      this.renderWall(items);
    } else {
      this.renderChapters();
    }
    if (el.note) {
      el.note.textContent =
        page && this.history?.watchingSince
          ? `“was …” is what this screen saw change since ${formatClock(this.history.watchingSince * 1000)}: a status page tells only the current status and since when.`
          : '';
    }
    this.announce(said, changed, error);
    this.renderAges();
    if (this.wall) this.fitWall();
  }

  /**
   * A wall shows everything on one screen: when the tiles run past its bottom, everything is
   * scaled down in steps, to 60 % at least (past that the page scrolls: names stay readable).
   */
  fitWall() {
    const root = document.documentElement;
    let scale = 1;
    root.style.setProperty('--wall-scale', '1');
    while (scale > 0.6 && root.scrollHeight > innerHeight) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      root.style.setProperty('--wall-scale', String(scale));
    }
  }

  /** Tells the live region what changed: the state of the board, or indicators that changed. */
  announce(said, changed, error) {
    if (!this.announcer || !said) return;
    if (error) {
      this.announcer.say(`${said}.`);
      return;
    }
    const byKey = new Map(this.items().map(({ item }) => [item.key, item]));
    const moves = changed
      .map((k) => byKey.get(k))
      .filter(Boolean)
      .map((it) => `${it.title}: ${it.status}, was ${this.history.get(it.key)?.seen[0]?.status ?? 'another status'}.`);
    this.announcer.say([`${said}.`, ...moves].join(' '), { force: moves.length > 0 });
  }

  renderChapters() {
    const { el } = this;
    el.chapters.replaceChildren(
      ...this.chapters.map(([name, list]) => {
        const ok = list.filter((i) => i.cls === 'ok').length;
        return h(
          'section.chapter',
          { dataset: { chapter: name } },
          h('h2.chapter-head', {}, h('span', {}, name), h('span.chapter-count', {}, `${ok}/${list.length} OK`)),
          list.length ? h('ul.rows', {}, ...list.map((item) => this.row(item))) : h('p.empty', {}, 'No indicators in this chapter.'),
        );
      }),
    );
    if (this.chapters.length === 0) el.chapters.append(h('p.empty', {}, 'This status page has no chapters.'));
  }

  /** Every indicator in one grid: ERR first, then stale, then OK; page order within each. */
  renderWall(items) {
    const sorted = [...items].sort((a, b) => a.rank - b.rank);
    this.el.chapters.replaceChildren(
      sorted.length
        ? h('ul.tiles', { 'aria-label': 'Indicators, most urgent first' }, ...sorted.map(({ item, rank }) => this.tile(item, KIND[rank])))
        : h('p.empty', {}, this.chapters.length ? 'This status page has no indicators yet.' : 'This status page has no chapters.'),
    );
  }

  /** Data the age ticker needs on a row or tile. */
  stamp(item) {
    const data = { key: item.key, title: item.title, status: item.status, updated: item.updatedAge ?? '', changed: item.changedAge ?? '' };
    return item.name ? { ...data, name: item.name } : data;
  }

  row(item) {
    const kind = KIND[urgency(item, this.staleAfter)];
    return h(
      `li.row.${item.cls}`,
      { dataset: { ...this.stamp(item), kind } },
      h(
        'div.row-what',
        {},
        h('span.row-title', {}, item.title),
        h('span.row-sub', {}, [item.name && item.name !== item.title ? item.name : null, item.desc].filter(Boolean).join(' · ')),
      ),
      h(
        'div.row-meta',
        {},
        h('div.row-details', { 'data-field': 'details' }, item.details),
        h(
          'div.row-age',
          {},
          h('div', { 'data-field': 'updated', title: item.updated ? `last update ${item.updated} (server time)` : null }),
          h('div.row-was', { 'data-field': 'was' }),
        ),
      ),
      h(
        'div.row-state',
        {},
        h(`span.badge.${item.cls}`, { 'data-field': 'status' }, item.status),
        h('span.row-since', { 'data-field': 'changed' }),
      ),
    );
  }

  tile(item, kind) {
    return h(
      `li.tile.${item.cls}.is-${kind}`,
      { dataset: { ...this.stamp(item), kind } },
      h(
        'div.tile-top',
        {},
        h('span.tile-chapter', {}, item.chapter),
        kind === 'stale' && item.cls === 'ok' ? h('span.tag-stale', {}, 'stale') : null,
        h(`span.badge.${item.cls}`, { 'data-field': 'status' }, item.status),
      ),
      h('div.tile-title', {}, item.title),
      item.details ? h('div.tile-details', { 'data-field': 'details' }, item.details) : null,
      h('div.tile-since', {}, h('span', { 'data-field': 'changed' }), h('span.tile-was', { 'data-field': 'was' })),
      h('div.tile-age', { 'data-field': 'updated' }),
    );
  }

  /** Moves every age forward by the time since the fetch; the "refreshed" line; the banner's ages. */
  renderAges() {
    const now = Date.now();
    const since = this.fetchedAt ? (now - this.fetchedAt) / 1000 : 0;
    const stale = Boolean(this.error);
    for (const row of this.el.chapters.querySelectorAll('.row, .tile')) {
      const at = (k) => (row.dataset[k] === '' ? null : Number(row.dataset[k]) + since);
      const set = (field, text) => {
        const el = row.querySelector(`[data-field=${field}]`);
        if (el && el.textContent !== text) el.textContent = text;
      };
      set('updated', `updated ${formatAge(at('updated'))} ago`);
      const changed = at('changed');
      const status = row.dataset.status;
      if (this.wall) set('changed', changed === null ? status : `${status} for ${formatAge(changed)}${stale ? ' (last known)' : ''}`);
      else set('changed', changed === null ? '' : `for ${formatAge(changed)}`);
      set('was', this.wasText(row.dataset.key));
    }
    if (this.error && this.page) {
      const last = this.el.summary.querySelector('[data-field=last-good]');
      const text = `Showing the last state received, at ${formatClock(this.fetchedAt)} (${formatAge(since)} ago): not current.`;
      if (last && last.textContent !== text) last.textContent = text;
    }
    if (this.el.fresh) {
      this.el.fresh.textContent = this.error
        ? `Last good data ${this.fetchedAt ? `${formatAge(since)} ago` : ': none'} · retrying every ${formatAge(this.intervalMs / 1000)}`
        : this.fetchedAt
          ? `Refreshed ${formatAge(since)} ago`
          : '';
    }
  }

  /** `was OK for 2 d`: the status before the current one, when this screen saw it change. */
  wasText(key) {
    const last = this.history?.get(key)?.seen[0];
    if (!last) return '';
    if (last.status === null) return 'changed and came back between refreshes';
    return last.from === null ? `was ${last.status} before` : `was ${last.status} for ${formatAge(last.to - last.from)}`;
  }
}

/** What an operator can do about a failed refresh (not what a developer would change). */
export function operatorAdvice(e) {
  if (e?.code === 'CORS') {
    return 'The browser could not read the answer: the server is down, unreachable from here, or does not let pages from this address read it. The board keeps trying.';
  }
  if (isUnreachable(e) || e?.code === 'REJECTED' || e?.status >= 500) return 'The board keeps trying on every refresh.';
  if (e?.code === 'FORBIDDEN') return 'This status page is not public: choose a public page, or make it public in okerr.';
  if (e?.code === 'NOT_FOUND') return 'Check the project text id and the status page name in “Project”.';
  return null;
}
