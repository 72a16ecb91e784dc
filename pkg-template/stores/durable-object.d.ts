import type { DurableObject } from "cloudflare:workers";
import type { ThrottleStore } from "../index.js";

/**
 * The Durable Object holding one key's throttle record. Export it from the Worker's main module
 * (`export { OkerrThrottle } from 'okerrupdate/stores/durable-object'`) and bind it in
 * wrangler.toml (`[[durable_objects.bindings]]` and a `new_sqlite_classes` migration).
 */
export declare class OkerrThrottle extends DurableObject {
  /** `false` when a record younger than `periodMs` holds `status` (any value, if `numerical`); else stores the claim. */
  claim(status: string, numerical: boolean, token: string, periodMs: number): Promise<boolean>;
  /** Deletes the record if it still holds `token`. */
  release(token: string): Promise<void>;
  /** Clears the record away once its period is over. */
  alarm(): Promise<void>;
}

/** The binding of `OkerrThrottle` (a `DurableObjectNamespace`), as much of it as the store uses. */
export interface OkerrThrottleNamespace {
  idFromName(name: string): unknown;
  get(id: never): unknown;
}

/** A `throttleStore` asking the `OkerrThrottle` object of each key, over RPC. */
export declare function durableObjectThrottleStore(namespace: OkerrThrottleNamespace): ThrottleStore;
