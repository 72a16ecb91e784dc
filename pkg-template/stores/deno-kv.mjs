/**
 * `okerrupdate/stores/deno-kv`: a `throttleStore` on Deno KV (`Deno.openKv()`: a local file, or
 * Deno Deploy's KV shared by every instance). `denoKvThrottleStore(kv)`.
 *
 * Each record is `{ at, status, token }` under `['okerrupdate', key]`, set by an atomic
 * operation that checks the entry read is still the one there. The age is kept in the value:
 * `expireIn` is only the earliest the entry may be deleted, not when it stops counting.
 */

/**
 * How often a claim tries again: when another process changed the record between its read and
 * its write, or a local KV file was locked by another process's write ("database is locked":
 * SQLite's busy state, which Deno's local KV hands back rather than waiting). The project's
 * time limit on a claim (at most a second) bounds the whole.
 */
const ATTEMPTS = 20;

/** Runs `step` again after a short random pause while the KV file is locked by another process. */
async function unlocked(step) {
  for (let i = 0; ; i++) {
    try {
      return await step();
    } catch (e) {
      if (i >= ATTEMPTS || !/database is locked/i.test(String(e?.message))) throw e;
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 10));
    }
  }
}

/** A `throttleStore` over the Deno KV database `kv`. */
export function denoKvThrottleStore(kv) {
  if (typeof kv?.get !== 'function' || typeof kv?.atomic !== 'function') {
    throw new TypeError('denoKvThrottleStore(kv): pass a Deno KV database (await Deno.openKv())');
  }
  return {
    async claim(key, status, numerical, token, periodMs) {
      const k = ['okerrupdate', key];
      for (let i = 0; i < ATTEMPTS; i++) {
        const entry = await unlocked(() => kv.get(k));
        const r = entry.value;
        // Instances' clocks differ a little: a record "from the future" within the period
        // counts as young; one further off is taken as stale rather than silence the name.
        const age = Date.now() - (r?.at ?? NaN);
        if (Math.abs(age) < periodMs && (numerical || r.status === status)) return false;
        const record = { at: Date.now(), status, token };
        const done = await unlocked(() => kv.atomic().check(entry).set(k, record, { expireIn: Math.max(1, Math.ceil(periodMs)) }).commit());
        if (done.ok) return true;
      }
      throw new Error(`the record changed under ${ATTEMPTS} claims in a row`);
    },
    async release(key, token) {
      const k = ['okerrupdate', key];
      const entry = await unlocked(() => kv.get(k));
      if (entry.value?.token !== token) return;
      // Only the entry read: a claim made since stays.
      await unlocked(() => kv.atomic().check(entry).delete(k).commit());
    },
  };
}
