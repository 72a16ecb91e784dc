import type { ThrottleStore } from "../index.js";

/** As much of a Deno KV database (`Deno.Kv`) as the store uses. */
export interface DenoKvLike {
  get(key: readonly string[]): Promise<{ value: unknown; versionstamp: string | null }>;
  atomic(): unknown;
}

/** A `throttleStore` on Deno KV: each claim an atomic check-and-set of the key's record. */
export declare function denoKvThrottleStore(kv: DenoKvLike): ThrottleStore;
