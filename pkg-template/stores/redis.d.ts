import type { ThrottleStore } from "../index.js";

/** Runs a Lua `script` with `keys` and `args` on a Redis client, resolving to its reply. */
export type RedisEval = (script: string, keys: string[], args: string[]) => Promise<unknown>;

/**
 * A `throttleStore` on Redis: one hash per key, claimed by one Lua script that compares and
 * sets in one step (see the README for node-redis, ioredis and @upstash/redis).
 */
export declare function redisThrottleStore(evalFn: RedisEval): ThrottleStore;

/** The claim script (KEYS[1]; ARGV: status, `1` for numerical, token, period in ms). */
export declare const CLAIM_SCRIPT: string;
/** The release script (KEYS[1]; ARGV: token). */
export declare const RELEASE_SCRIPT: string;
