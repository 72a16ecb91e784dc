/**
 * `okerrupdate/stores/redis`: a `throttleStore` on Redis, through any client that can run a Lua
 * script. `evalFn(script, keys, args)` runs one and resolves to its reply:
 *
 *   node-redis       (s, keys, args) => client.eval(s, { keys, arguments: args })
 *   ioredis          (s, keys, args) => redis.eval(s, keys.length, ...keys, ...args)
 *   @upstash/redis   (s, keys, args) => redis.eval(s, keys, args)   (over fetch: Workers, Deno)
 *
 * Each record is a hash of `at` (the Redis server's clock, in ms), `status` and `token`. The
 * claim script compares and sets in one step; the record's age is kept in the value, and its
 * expiry (set on a claim only, never moved by a skip) just clears it away: a `SET ... GET PX`
 * would reset the expiry on every call, so the window would slide for as long as updates come
 * and the server would never hear the status again.
 */

/** KEYS[1]: the record. ARGV: status, '1' for numerical, token, the period in ms. 1: claimed. */
export const CLAIM_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local period = tonumber(ARGV[4])
local r = redis.call('HMGET', KEYS[1], 'at', 'status')
local at = tonumber(r[1])
if at and now >= at and now - at < period and (ARGV[2] == '1' or r[2] == ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'at', string.format('%.0f', now), 'status', ARGV[1], 'token', ARGV[3])
redis.call('PEXPIRE', KEYS[1], period)
return 1
`;

/** KEYS[1]: the record. ARGV[1]: the token. Deletes the record only if it holds the token. */
export const RELEASE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** A `throttleStore` over `evalFn(script, keys, args) => Promise<reply>`. */
export function redisThrottleStore(evalFn) {
  if (typeof evalFn !== 'function') {
    throw new TypeError('redisThrottleStore(evalFn): evalFn must be a function (script, keys, args) => Promise of the reply');
  }
  return {
    async claim(key, status, numerical, token, periodMs) {
      const period = String(Math.max(1, Math.ceil(periodMs)));
      const reply = await evalFn(CLAIM_SCRIPT, [key], [status, numerical ? '1' : '0', token, period]);
      // Clients give integers as numbers, strings or bigints. Anything else is an error, so
      // that the update fails open rather than being taken as throttled.
      const n = typeof reply === 'bigint' || (typeof reply === 'string' && reply !== '') ? Number(reply) : reply;
      if (n === 1) return true;
      if (n === 0) return false;
      throw new Error(`the claim script answered ${typeof reply}, not 0 or 1`);
    },
    async release(key, token) {
      await evalFn(RELEASE_SCRIPT, [key], [token]);
    },
  };
}
