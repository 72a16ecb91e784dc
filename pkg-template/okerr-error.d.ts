/** The stable codes of an `OkerrError`, plus any `ERROR:CODE` the server sends (e.g. `LIMIT_MAXINDICATORS`, `BAD_METHOD`). */
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
  constructor(message: string, details?: { code?: OkerrErrorCode; status?: number; body?: string });
  readonly name: "OkerrError";
  /** What went wrong, stable across versions. */
  readonly code: OkerrErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** The server's answer text (at most 1000 characters), when it answered. */
  readonly body?: string;
}
