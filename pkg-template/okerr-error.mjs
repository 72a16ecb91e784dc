/**
 * The error every okerrupdate failure is: `instanceof OkerrError` and `instanceof Error`.
 * `code` is stable (`INVALID_ARGUMENT`, `HTTP`, `NETWORK`, `TIMEOUT`, `DIRECTOR`, `CORS`,
 * `NO_API_KEY`, `FORBIDDEN`, `NOT_FOUND`, `REJECTED`, `FREED`, `NOT_INITIALIZED`, or the server's own `ERROR:CODE` such as `LIMIT_MAXINDICATORS`);
 * `status` and `body` are the server's HTTP status and answer text when it answered.
 * No secret is ever part of it.
 */
export class OkerrError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'OkerrError';
    this.code = details.code ?? 'ERROR';
    if (details.status !== undefined) this.status = details.status;
    if (details.body !== undefined) this.body = details.body;
  }
}
