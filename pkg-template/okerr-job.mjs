/**
 * `indicator.run(fn)` and `project.wrap(name, fn, options)`: monitoring a job in one call.
 *
 * The job is called here, in JavaScript, with no wasm frame below it on the stack: it may use
 * the very indicator that reports it (or free it) without re-entering a wasm call in progress,
 * and the promise `run` returns can settle with the job's very own value or error object. How
 * the job ended goes to the wasm (`__runReport`), where the core decides what is reported.
 */

const now = () => globalThis.performance?.now?.() ?? Date.now();
const ignore = () => {};

/**
 * Adds `run` to the indicator class and `wrap` to the project class (before the guard wraps them).
 * A second call on the same classes (two entries of one bundle sharing one glue) changes nothing.
 */
export function addJobMethods(OkerrError, { OkerrProject, OkerrIndicator }) {
  const define = (proto, name, fn) => {
    if (Object.prototype.hasOwnProperty.call(proto, name)) return;
    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true, enumerable: false });
  };

  define(OkerrIndicator.prototype, 'run', function run(fn) {
    if (typeof fn !== 'function') {
      return Promise.reject(new OkerrError(`run() needs the job as a function, got ${typeName(fn)}`, { code: 'INVALID_ARGUMENT' }));
    }
    const started = now();
    let result;
    try {
      result = fn();
    } catch (error) {
      return report(this, started, false, error).then(() => {
        throw error;
      });
    }
    return Promise.resolve(result).then(
      (value) => report(this, started, true).then(() => value),
      (error) =>
        report(this, started, false, error).then(() => {
          throw error;
        }),
    );
  });

  define(OkerrProject.prototype, 'wrap', function wrap(name, fn, options) {
    if (typeof fn !== 'function') {
      throw new OkerrError(`wrap() needs the job as a function, got ${typeName(fn)}`, { code: 'INVALID_ARGUMENT' });
    }
    const indicator = this.indicator(name, options);
    const wrapped = function (...args) {
      return indicator.run(() => fn.apply(this, args));
    };
    Object.defineProperty(wrapped, 'name', { value: fn.name });
    Object.defineProperty(wrapped, 'length', { value: fn.length });
    return wrapped;
  });
}

/**
 * Reports the job; settles when the report has, and never rejects: the job's outcome must not
 * depend on its report (the wasm logs a failure at `warn`; an indicator freed during the job
 * cannot report, or log, at all).
 */
function report(indicator, started, ok, error) {
  try {
    return indicator.__runReport(ok, now() - started, ok ? undefined : messageOf(error)).then(ignore, ignore);
  } catch {
    return Promise.resolve();
  }
}

/** The text of what a job threw: an error's `message`, or the thrown value as a string. */
function messageOf(error) {
  try {
    if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
    return String(error);
  } catch {
    return `a thrown ${typeof error} that cannot be shown`;
  }
}

function typeName(value) {
  return value === null ? 'null' : typeof value;
}
