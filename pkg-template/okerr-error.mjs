/**
 * The error every okerrupdate failure is: `instanceof OkerrError` and `instanceof Error`.
 * `code` is stable (`INVALID_ARGUMENT`, `HTTP`, `NETWORK`, `TIMEOUT`, `DIRECTOR`, `CORS`,
 * `NO_API_KEY`, `FORBIDDEN`, `NOT_FOUND`, `REJECTED`, `REDIRECT`, `TOO_LARGE`, `FREED`,
 * `NOT_INITIALIZED`, or one of the server's own `ERROR:CODE`s, `LIMIT_MAXINDICATORS` and
 * `BAD_METHOD`); `status` and `body` are the server's HTTP status and answer text when it
 * answered, `serverCode` the word of its `ERROR:CODE` when it gave one (any other word than
 * those two makes the code `HTTP`).
 * No secret is ever part of it.
 */
export class OkerrError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'OkerrError';
    this.code = details.code ?? 'ERROR';
    if (details.status !== undefined) this.status = details.status;
    if (details.body !== undefined) this.body = details.body;
    if (details.serverCode !== undefined) this.serverCode = details.serverCode;
  }
}
