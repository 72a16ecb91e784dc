// The status board: a public status page (`project.statusPage(addr)`), chapter by chapter,
// refreshed on an interval and whenever the page asks (after an update).
import { cleanDetails, errorBox, formatAge, h, parseTimedelta, statusClass } from './format.js';

/** Ages of one item in seconds when fetched: the server's own, else from unix times. */
function ages(item) {
  const fromUnix = (u) => (typeof u === 'number' ? Date.now() / 1000 - u : null);
  return {
    updated: parseTimedelta(item.updated_age) ?? fromUnix(item.updated_unixtime),
    changed: parseTimedelta(item.changed_age) ?? fromUnix(item.changed_unixtime),
  };
}

export class Board {
  /** `root`: the board's element; `getProject()`: the current credential-free OkerrProject or null. */
  constructor(root, getProject) {
    this.root = root;
    this.getProject = getProject;
    this.addr = 'index';
    this.page = null;
    this.fetchedAt = 0;
    this.error = null;
    this.loading = false;
    this.generation = 0;
    this.again = null;
    this.timer = null;
    this.intervalMs = 15000;
    this.el = {
      title: root.querySelector('[data-board=title]'),
      desc: root.querySelector('[data-board=desc]'),
      summary: root.querySelector('[data-board=summary]'),
      notices: root.querySelector('[data-board=notices]'),
      chapters: root.querySelector('[data-board=chapters]'),
      fresh: root.querySelector('[data-board=fresh]'),
      interval: root.querySelector('[data-board=interval]'),
      refresh: root.querySelector('[data-board=refresh]'),
    };
    this.el.refresh.addEventListener('click', () => this.refresh());
    this.el.interval.addEventListener('change', () => this.setInterval(Number(this.el.interval.value)));
    // Ages tick between fetches; a hidden tab does not poll, and catches up when shown again.
    setInterval(() => this.renderAges(), 1000);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && Date.now() - this.fetchedAt > this.intervalMs) this.refresh();
    });
  }

  setInterval(ms) {
    this.intervalMs = ms;
    this.el.interval.value = String(ms);
    clearInterval(this.timer);
    this.timer = ms > 0 ? setInterval(() => !document.hidden && this.refresh(), ms) : null;
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
    const project = this.getProject();
    if (!project) return Promise.resolve();
    const generation = this.generation;
    this.root.classList.add('is-loading');
    this.el.refresh.disabled = true;
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
        this.el.refresh.disabled = false;
        if (page) {
          this.page = page;
          this.error = null;
          this.fetchedAt = Date.now();
        } else {
          this.error = error;
        }
        this.render();
      });
    return this.loading;
  }

  /** Forgets the page shown (another project or page was chosen). */
  clear(message) {
    this.generation += 1;
    this.loading = false;
    this.again = null;
    this.root.classList.remove('is-loading');
    this.el.refresh.disabled = false;
    this.page = null;
    this.error = null;
    this.fetchedAt = 0;
    this.render(message);
  }

  render(emptyMessage) {
    const { page, error, el } = this;
    this.root.classList.toggle('is-stale', Boolean(error && page));
    el.notices.replaceChildren();
    if (error) el.notices.append(errorBox(error, page ? 'Could not refresh; showing the last good data.' : 'Could not load the status page.'));
    if (!page) {
      el.title.textContent = 'Status';
      el.desc.textContent = '';
      el.summary.replaceChildren();
      el.summary.className = 'summary';
      el.chapters.replaceChildren(error ? '' : h('p.empty', {}, emptyMessage ?? 'Loading…'));
      this.renderAges();
      return;
    }
    el.title.textContent = page.title || page.name || page.textid;
    el.desc.textContent = page.desc || '';
    for (const post of page.blog ?? []) {
      el.notices.append(
        h('div.notice.info', {}, h('p.notice-text', {}, post.text), post.created ? h('small.muted', {}, post.created) : null),
      );
    }

    const chapters = Object.entries(page.chapters ?? {});
    const items = chapters.flatMap(([, list]) => list);
    const bad = items.filter((i) => statusClass(i.status) !== 'ok').length;
    el.summary.className = `summary ${items.length === 0 ? 'other' : bad ? 'err' : 'ok'}`;
    el.summary.replaceChildren(
      h('span.summary-icon', { 'aria-hidden': 'true' }, bad ? '!' : '✓'),
      h(
        'span',
        { 'data-testid': 'summary-text' },
        items.length === 0
          ? 'This page has no indicators yet'
          : bad
            ? `${bad} of ${items.length} need attention`
            : `All ${items.length} indicators OK`,
      ),
    );
    document.title = `${bad ? `(${bad}) ` : ''}${el.title.textContent} · okerr`;

    el.chapters.replaceChildren(
      ...chapters.map(([name, list]) => {
        const ok = list.filter((i) => statusClass(i.status) === 'ok').length;
        return h(
          'section.chapter',
          { dataset: { chapter: name } },
          h('h3.chapter-head', {}, h('span', {}, name), h('span.chapter-count', {}, `${ok}/${list.length} OK`)),
          list.length
            ? h('ul.rows', {}, ...list.map((item) => this.row(item)))
            : h('p.empty', {}, 'No indicators in this chapter.'),
        );
      }),
    );
    if (chapters.length === 0) el.chapters.append(h('p.empty', {}, 'This status page has no chapters.'));
    this.renderAges();
  }

  row(item) {
    const cls = statusClass(item.status);
    const a = ages(item);
    const title = item.title || item.name;
    return h(
      `li.row.${cls}`,
      { dataset: { name: item.name, status: item.status, updated: a.updated ?? '', changed: a.changed ?? '' } },
      h(
        'div.row-what',
        {},
        h('span.row-title', {}, title),
        h('span.row-sub', {}, [title !== item.name ? item.name : null, item.desc].filter(Boolean).join(' · ')),
      ),
      h(
        'div.row-meta',
        {},
        h('div.row-details', { 'data-field': 'details' }, cleanDetails(item.details)),
        h('div.row-age', { 'data-field': 'updated', title: item.updated ? `last update ${item.updated} (server time)` : null }),
      ),
      h(
        'div.row-state',
        {},
        h(`span.badge.${cls}`, { 'data-field': 'status' }, item.status ?? '?'),
        h('span.row-since', { 'data-field': 'changed' }),
      ),
    );
  }

  /** Moves every age forward by the time since the fetch, and the "refreshed" line. */
  renderAges() {
    const since = this.fetchedAt ? (Date.now() - this.fetchedAt) / 1000 : 0;
    for (const row of this.el.chapters.querySelectorAll('.row')) {
      const at = (k) => (row.dataset[k] === '' ? null : Number(row.dataset[k]) + since);
      row.querySelector('[data-field=updated]').textContent = `updated ${formatAge(at('updated'))} ago`;
      const changed = at('changed');
      row.querySelector('[data-field=changed]').textContent = changed === null ? '' : `for ${formatAge(changed)}`;
    }
    this.el.fresh.textContent = this.fetchedAt ? `Refreshed ${formatAge(since)} ago` : '';
  }
}
