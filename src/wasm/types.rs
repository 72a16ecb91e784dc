//! TypeScript declarations for the option and result objects, which arrive as plain JS objects.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
import type { OkerrError } from "./okerr-error.js";

/** How much the client logs. `info` (the default) writes one line per update that reached the server. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Any object with console's methods; `console` is the default. */
export interface OkerrLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options of `new OkerrProject(...)`, `OkerrProject.fromEnv(...)` and `OkerrProject.fromConfig(...)`. */
export interface OkerrOptions {
  /** The project's text id (required, here or as the first constructor argument). */
  textid?: string;
  /** The secret of the policy the indicators use. Never logged, never shown in errors (a secret under 6 characters is warned about: its masks garble messages). */
  secret?: string;
  /** The director (or, with `direct`, the server itself). Default `https://my.okerr.com/`. */
  url?: string;
  /** Post straight to `url`, skipping the director. Default `false`. */
  direct?: boolean;
  /** Check and log updates without sending them. Default `false`. */
  dryRun?: boolean;
  /** Time limit of one HTTP request, in ms. Default 5000. */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, 429 or 5xx (0 to 10). Default 5. */
  retries?: number;
  /** Wait before retry k is `backoffMs * 2^(k-1)` (a `Retry-After` answer wins, up to 60 s). Default 2000. */
  backoffMs?: number;
  /** An unchanged status (any numerical value) is not re-sent within this many seconds. 0 sends every update. Default 300. */
  throttleSeconds?: number;
  /** Put in front of indicator names that start with `:` (e.g. `host1` makes `:load` into `host1:load`). */
  prefix?: string;
  /** The project API key, for the API methods. Never logged. */
  apiKey?: string;
  /** Extra fields sent with every update as `x_NAME`. */
  x?: Record<string, string | number>;
  /** Initial log level. Default `warn`: retries and failures that do not reject; `info` adds a line per update sent and each failure that rejects. */
  logLevel?: LogLevel;
  /** Where log lines go. Default `console`. */
  logger?: OkerrLogger;
  /** A fetch to use instead of `globalThis.fetch`. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** `no-cors` delivers updates from a browser page to another origin without reading the answer (result `unconfirmed`). Default `cors`. */
  mode?: "cors" | "no-cors";
  /**
   * A throttle the fleet shares (Redis, a Durable Object, Deno KV: see `okerrupdate/stores/*`):
   * it decides every update, so N processes send an unchanged status once per period, not N
   * times. A store that fails or takes longer than `min(timeoutMs, 1000)` ms leaves the update
   * to this process's own throttle (logged at `warn` once per period).
   */
  throttleStore?: ThrottleStore;
  /** `false`: `update()` never rejects; a failure resolves `{ sent: false, reason: "failed", error }` and is logged at `warn` (a bad argument at `error`). Default `true`. */
  rejectOnFailure?: boolean;
}

/** The `throttleStore` option: a record per key that the whole fleet shares. */
export interface ThrottleStore {
  /**
   * Atomically: if a record for `key` exists that is younger than `periodMs` and
   * (`numerical` or its status is `status`), resolve `false` (the update is throttled).
   * Otherwise store `{ status, token, at: now }` for at least `periodMs` and resolve `true`.
   */
  claim(key: string, status: string, numerical: boolean, token: string, periodMs: number): Promise<boolean> | boolean;
  /** After a send that failed: delete the record of `key` only if it still holds `token`. */
  release(key: string, token: string): Promise<unknown> | unknown;
}

/** Options of `project.indicator(name, options)`. */
export interface IndicatorOptions {
  /** The indicator's own secret; default the project's. */
  secret?: string;
  /** Check method line, e.g. `numerical|maxlim=37`. Default heartbeat (status `OK`/`ERR`). */
  method?: string;
  /** Policy used when the server creates the indicator. */
  policy?: string;
  /** Tags applied when the server creates the indicator (letters, digits, `_`). */
  tags?: string[] | string;
  /** Description applied when the server creates the indicator. */
  desc?: string;
  /** When set, marks the indicator as having a problem, with this text. */
  error?: string;
  /** Stored by the server as given. */
  keypath?: string;
  /** Stored by the server as given. */
  origkeypath?: string;
}

/** What `indicator.update()` resolves to: `UpdateFailed` only for a project made with `rejectOnFailure: false`. */
export type UpdateResult = UpdateDone | UpdateFailed;

/** An update that did not fail. */
export interface UpdateDone {
  /** Whether a request went out. */
  readonly sent: boolean;
  /** `sent`; `throttled` (unchanged within `throttleSeconds`); `dry-run`; `unconfirmed` (`no-cors` delivery). */
  readonly reason: "sent" | "throttled" | "dry-run" | "unconfirmed";
}

/** An update that failed, in a project made with `rejectOnFailure: false` (which logs it instead of rejecting). */
export interface UpdateFailed {
  readonly sent: false;
  readonly reason: "failed";
  /** The error `update()` would otherwise have rejected with. */
  readonly error: OkerrError;
}

/** What `project.flush()` resolves to. */
export interface FlushResult {
  /** How many of the updates and API calls in flight when `flush()` was called have settled. */
  readonly settled: number;
  /** How many of them were still in flight when `timeoutMs` passed (0 when all settled). */
  readonly pending: number;
}

export interface OkerrIndicator {
  /**
   * Run a job and report it: calls `fn()` at once; when it returns (or its promise resolves)
   * sends `OK` with details `ok in 1.23 s`, when it throws (or rejects) sends `ERR` with the
   * duration and the error's message (masked, at most 200 characters). Settles like `fn`, with
   * its value or the very same error, once the report has settled; a failure to report never
   * changes that, and is logged at `warn`.
   */
  run<T>(fn: () => T): Promise<Awaited<T>>;
}

export interface OkerrProject {
  /**
   * `fn` made into a monitored job: each call of the returned function is
   * `project.indicator(name, options).run(() => fn(...args))`, with `fn`'s parameters and `this`,
   * returning a promise of `fn`'s result. A bad name or option throws here, at once.
   */
  wrap<A extends unknown[], R, This = unknown>(
    name: string,
    fn: (this: This, ...args: A) => R,
    options?: IndicatorOptions,
  ): (this: This, ...args: A) => Promise<Awaited<R>>;
}
"#;
