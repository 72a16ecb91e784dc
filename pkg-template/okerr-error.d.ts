/**
 * The stable codes of an `OkerrError`, and the server's own `ERROR:CODE`s (`LIMIT_MAXINDICATORS`,
 * `BAD_METHOD`). Any other `ERROR:CODE` a server sends is `HTTP`, its word in `serverCode`.
 */
export type OkerrErrorCode =
  | "INVALID_ARGUMENT"
  | "HTTP"
  | "NETWORK"
  | "TIMEOUT"
  | "DIRECTOR"
  | "CORS"
  | "NO_API_KEY"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "REJECTED"
  | "REDIRECT"
  /** A successful answer longer than the client reads for its call (8 MiB for the API and status pages): nothing of it is used. */
  | "TOO_LARGE"
  | "LIMIT_MAXINDICATORS"
  | "BAD_METHOD"
  | "FREED"
  | "NOT_INITIALIZED"
  /** An `OkerrError` made without a code (`new OkerrError(message)`); the package never throws one. */
  | "ERROR"
  | (string & {});

/**
 * The error every okerrupdate failure is: `instanceof OkerrError` and `instanceof Error`.
 * No secret is ever part of it.
 */
export declare class OkerrError extends Error {
  constructor(message: string, details?: { code?: OkerrErrorCode; status?: number; body?: string; serverCode?: string });
  readonly name: "OkerrError";
  /** What went wrong, stable across versions. */
  readonly code: OkerrErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** The server's answer text (at most 1000 characters), when it answered. */
  readonly body?: string;
  /** The word of the server's `ERROR:CODE`, when its answer started with one (also when `code` is `HTTP`). */
  readonly serverCode?: string;
}
