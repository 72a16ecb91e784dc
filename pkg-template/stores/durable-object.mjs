/**
 * `okerrupdate/stores/durable-object`: a `throttleStore` on Cloudflare Durable Objects. One
 * object per key (`idFromName`), called over RPC: export `OkerrThrottle` from the Worker, bind
 * it (wrangler.toml, see the README), and pass `durableObjectThrottleStore(env.BINDING)`.
 */
import { DurableObject } from 'cloudflare:workers';

/** The Durable Object that holds one key's record: `{ at, status, token, periodMs }`. */
export class OkerrThrottle extends DurableObject {
  /**
   * Claim the record: `false` when it is younger than `periodMs` and holds `status` (any value,
   * for `numerical`). The get and the put run in one call with no other I/O between them: the
   * object's input gate lets no other call in meanwhile, so the comparison and the set are one
   * step. The age is in the record; the alarm only clears it away, and a skip never moves it.
   */
  async claim(status, numerical, token, periodMs) {
    const storage = this.ctx.storage;
    const now = Date.now();
    const r = await storage.get('record');
    if (r && now >= r.at && now - r.at < periodMs && (numerical || r.status === status)) return false;
    await storage.put('record', { at: now, status, token, periodMs });
    await storage.setAlarm(now + periodMs);
    return true;
  }

  /** Delete the record if it still holds `token` (its send failed). */
  async release(token) {
    const storage = this.ctx.storage;
    const r = await storage.get('record');
    if (r?.token !== token) return;
    await storage.deleteAlarm();
    await storage.deleteAll();
  }

  /** The record's period is over: nothing is left behind for a name no longer updated. */
  async alarm() {
    const storage = this.ctx.storage;
    const r = await storage.get('record');
    const now = Date.now();
    if (r && now >= r.at && now - r.at < r.periodMs) {
      await storage.setAlarm(r.at + r.periodMs);
      return;
    }
    await storage.deleteAll();
  }
}

/** A `throttleStore` over the Durable Object namespace bound to `OkerrThrottle`. */
export function durableObjectThrottleStore(namespace) {
  if (typeof namespace?.idFromName !== 'function' || typeof namespace?.get !== 'function') {
    throw new TypeError('durableObjectThrottleStore(namespace): pass the Durable Object binding of OkerrThrottle (env.OKERR_THROTTLE)');
  }
  // A stub per call: a stub made in one request cannot be used from another.
  const object = (key) => namespace.get(namespace.idFromName(key));
  return {
    claim: (key, status, numerical, token, periodMs) => object(key).claim(status, numerical, token, periodMs),
    release: (key, token) => object(key).release(token),
  };
}
