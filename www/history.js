// What this screen saw of each indicator across refreshes. A status page tells only the current
// status and since when (`changed_age`); the status before it, and how long that lasted, is
// known only to a page that was watching when it changed. Kept in localStorage (public status
// page data only, never a key or secret) so a wall screen that reloads keeps what it saw.

/** Seconds two readings of one change time may differ by: the server counts whole seconds. */
const SAME_CHANGE_S = 3;
/** Earlier statuses kept per indicator. */
const KEEP = 10;

export class History {
  /** `scope`: what the history belongs to (server, project, page): one storage entry each. */
  constructor(scope, storage = globalThis.localStorage) {
    this.key = `okerr-dashboard:history:${scope}`;
    this.storage = storage;
    /**
     * key -> { status, since (unix s), exact (since came from the server), seen: [{ status, from, to }] }.
     * A Map: keys are indicator names, and a name such as `constructor` or `__proto__` must not
     * meet what a plain object inherits.
     */
    this.items = new Map();
    /** When this screen first saw the page (unix s). */
    this.watchingSince = null;
    try {
      const saved = JSON.parse(this.storage?.getItem(this.key) ?? 'null');
      if (saved && typeof saved === 'object' && saved.items && typeof saved.watchingSince === 'number') {
        // Pairs, or (as pages saved it before) an object: JSON.parse makes its keys own ones.
        const pairs = Array.isArray(saved.items) ? saved.items : Object.entries(saved.items);
        this.items = new Map(pairs.filter(isEntry));
        this.watchingSince = saved.watchingSince;
      }
    } catch {
      // A broken or blocked storage only costs the earlier history.
    }
  }

  /**
   * Takes one fetched page's items (`{ key, status, changedAge }`, ages in seconds) received at
   * `now` (unix s); returns the keys whose status changed since the last page this screen saw.
   */
  observe(items, now) {
    this.watchingSince ??= now;
    const changed = [];
    const next = new Map();
    for (const it of items) {
      const before = this.items.get(it.key);
      const exact = typeof it.changedAge === 'number';
      const same = before?.status === it.status;
      // Without the server's change time, a status is known from when this screen first saw it.
      let since = exact ? now - it.changedAge : same ? before.since : now;
      // Two readings of one change differ by the server's rounding: keep the first.
      if (same && exact && before.exact && Math.abs(since - before.since) <= SAME_CHANGE_S) since = before.since;
      const seen = before ? [...before.seen] : [];
      if (before && !same) {
        seen.unshift({ status: before.status, from: before.exact ? before.since : null, to: since });
        changed.push(it.key);
      } else if (before && exact && before.exact && since - before.since > SAME_CHANGE_S) {
        // Same status, later change time: it changed and came back between two refreshes.
        seen.unshift({ status: null, from: before.since, to: since });
      }
      next.set(it.key, { status: it.status, since, exact: exact || (same && before.exact), seen: seen.slice(0, KEEP) });
    }
    this.items = next;
    try {
      // Kept as [key, value] pairs: an object's keys would meet the same inherited names.
      this.storage?.setItem(this.key, JSON.stringify({ watchingSince: this.watchingSince, items: [...next] }));
    } catch {
      // Full or blocked storage: the history lives on in memory.
    }
    return changed;
  }

  /** What this screen knows of one indicator: `{ status, since, exact, seen }` or null. */
  get(key) {
    return this.items.get(key) ?? null;
  }
}

/** A saved `[key, { status, since, seen: [...] }]` pair, as `observe` writes it. */
function isEntry(e) {
  return Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'object' && e[1] !== null && Array.isArray(e[1].seen);
}
