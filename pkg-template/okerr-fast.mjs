/**
 * The one answer `indicator.update()` gives without calling into the wasm: an update the core
 * has already said it would skip (or, in a dry run, only check), answered with the promise the
 * core would return. Crossing into the wasm costs more than the whole of a plain-JS throttle
 * (converting the status, the clock, the guard), so a loop that awaits a throttled update would
 * run at a fifth of that speed.
 *
 * Nothing is decided here. After every update that reaches the core, and when a send ends, the
 * core writes what it would answer to an update of the same kind, name and status without
 * details, from when and until when (its `hint`), or deletes it; a log level change deletes them
 * all. This file only compares: the same status (any finite number for a numerical indicator),
 * no details, the clock inside the window. Anything else goes to the core as before.
 *
 * The hints live in a null-prototype object of the project, out of reach of anything an
 * application adds to `Object.prototype`; the functions used here are taken when the package
 * loads, so replacing `Date.now` or `WeakMap.prototype.get` later cannot make it skip an update.
 */

const call = Function.prototype.call;
const bound = (fn) => call.bind(fn);
const weakGet = bound(WeakMap.prototype.get);
const weakSet = bound(WeakMap.prototype.set);
const weakDelete = bound(WeakMap.prototype.delete);
const apply = Reflect.apply;
const now = Date.now;
// The ESM entries and the CommonJS bundle (a copy of this file) wire the same classes: the
// marker says they have their fast path already, so only the first copy's table is used.
const MARK = Symbol.for('okerrupdate.fast');
const FAST = new WeakMap();

/** Adds the fast path to the (already guarded) classes' `update`, `indicator` and `free`. */
export function addFastPath(OkerrProject, OkerrIndicator) {
  const project = OkerrProject.prototype;
  const indicator = OkerrIndicator.prototype;
  if (Object.prototype.hasOwnProperty.call(indicator, MARK)) return;
  Object.defineProperty(indicator, MARK, { value: true });
  const make = project.indicator;
  const update = indicator.update;
  const free = indicator.free;
  // Each wrapper keeps the name and length of what it wraps.
  const keep = (original, fn) => {
    Object.defineProperty(fn, 'name', { value: original.name });
    return Object.defineProperty(fn, 'length', { value: original.length });
  };
  define(project, 'indicator', keep(make, function (...args) {
    const made = apply(make, this, args);
    weakSet(FAST, made, { hints: this.__hints, key: made.__hintKey });
    return made;
  }));
  define(indicator, 'update', keep(update, function (status, details) {
    const fast = weakGet(FAST, this);
    if (fast !== undefined && (details === undefined || details === null)) {
      const hint = fast.hints[fast.key];
      if (hint !== undefined) {
        const wanted = hint[0];
        const same = wanted === null ? typeof status === 'number' && status - status === 0 : status === wanted;
        if (same) {
          const t = now();
          if (t >= hint[1] && t < hint[2]) return hint[3];
        }
      }
    }
    return apply(update, this, arguments);
  }));
  const freeing = keep(free, function (...args) {
    weakDelete(FAST, this);
    return apply(free, this, args);
  });
  // `[Symbol.dispose]` is `free` itself (wasm-bindgen's alias): both get the wrapper.
  for (const key of Reflect.ownKeys(indicator)) {
    if (Object.getOwnPropertyDescriptor(indicator, key).value === free) define(indicator, key, freeing);
  }
}

function define(proto, key, value) {
  const d = Object.getOwnPropertyDescriptor(proto, key);
  Object.defineProperty(proto, key, { ...d, value });
}
