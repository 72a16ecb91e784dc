/**
 * Checks `this` before any method of the generated classes reaches the wasm.
 *
 * wasm-bindgen trusts the object a method is called on: a method of one class called on an
 * object of the other (`OkerrProject.prototype.indicator.call(indicator)`) reads the wrong Rust
 * value, which can loop for ever inside the wasm and block the whole process, and a freed object
 * fails with a bare "null pointer passed to rust". Here both become an `OkerrError` before the
 * call: `INVALID_ARGUMENT` for anything that is not a live object of the class, `FREED` for one
 * whose `free()` ran. Methods that return a promise reject instead of throwing, like every other
 * failure of theirs. A second `free()` does nothing, and a freed object still prints
 * (`toString`, `toJSON`).
 *
 * Which objects are live is known here, not read from wasm-bindgen's internals: each class keeps
 * a WeakSet of the objects made for it (by `new`, through the Proxy `guardClass` returns, and by
 * whatever a static or a method returns, such as `fromEnv()` or `indicator()`), and `free()` moves
 * an object to a WeakSet of freed ones. An object the garbage collector takes (wasm-bindgen's
 * FinalizationRegistry then frees its Rust value) needs nothing: no one can call its methods
 * any more, and it leaves the weak sets by itself.
 */

// Every method whose result is a Promise (index.d.ts); the node tests hold the two lists equal.
const ASYNC = new Set([
  'update',
  'run',
  'flush',
  'checkMethods',
  'createIndicator',
  'deleteIndicator',
  'filter',
  'getArg',
  'getIndicator',
  'listIndicators',
  'setArgs',
  'statusPage',
  'sync',
  'tagFilter',
  'updateLog',
]);

// The methods written in JavaScript (okerr-job.mjs): no wasm frame is below them while they
// run the caller's job, so the job may `free()` the very object (it reaches the wasm only
// through guarded calls of its own, each of which is on `inCall` while it runs).
const JS_ONLY = new Set(['run', 'wrap']);

// A class's `{ live, freed }` sets, on its prototype: two entries of one bundle may share one
// glue, and must then guard it once and agree on which objects are live.
const STATE = Symbol.for('okerrupdate.guard');

// The objects whose method is running now, innermost last (calls nest: a logger or a getter
// may call back). A stack, not a per-object count: pushing and popping costs the hot path
// (`update()`) next to nothing, and only `free()` looks into it.
const inCall = [];

/**
 * Guards `cls` (its public name is `name`: a minifier may rename the class itself) and returns
 * the class to export: a Proxy of it that records what `new` makes. `madeBy` names what makes
 * the objects of a class that has no public constructor (its `new` is then `INVALID_ARGUMENT`);
 * with `isReady`, `new` and the static methods throw `NOT_INITIALIZED` until it returns true
 * (`okerrupdate/init`, before the wasm is there). Instances, `instanceof` and subclasses are
 * those of the class.
 */
export function guardClass(OkerrError, name, cls, { madeBy, isReady } = {}) {
  if (!Object.prototype.hasOwnProperty.call(cls.prototype, STATE)) guardMethods(OkerrError, name, cls);
  const { live } = cls.prototype[STATE];
  const check = () => {
    if (isReady && !isReady()) {
      throw new OkerrError(`${name} was used before init() or initSync() finished: await init() first`, { code: 'NOT_INITIALIZED' });
    }
  };
  const handler = {
    construct(target, args, newTarget) {
      check();
      if (madeBy) throw new OkerrError(`${name} has no public constructor: ${madeBy} makes one`, { code: 'INVALID_ARGUMENT' });
      const made = Reflect.construct(target, args, newTarget);
      live.add(made);
      return made;
    },
  };
  // Only an entry that can be used before its wasm is there pays for a `get` trap.
  if (isReady) {
    handler.get = (target, key, receiver) => {
      const value = Reflect.get(target, key, receiver);
      // Only the class's own static methods (`fromEnv`...), not `Symbol.hasInstance` & co.
      const own = Object.prototype.hasOwnProperty.call(target, key);
      if (!own || typeof value !== 'function' || isReady()) return value;
      return function notReady(...args) {
        check();
        return value.apply(this, args);
      };
    };
  }
  const face = new Proxy(cls, handler);
  // `obj.constructor` is the exported class, so `new obj.constructor(...)` is recorded too.
  if (cls.prototype.constructor === cls) {
    Object.defineProperty(cls.prototype, 'constructor', { value: face, writable: true, configurable: true, enumerable: false });
  }
  return face;
}

/** Wraps every method and getter of the prototype with the check, and every static with `adopt`. */
function guardMethods(OkerrError, name, cls) {
  const proto = cls.prototype;
  const state = { live: new WeakSet(), freed: new WeakSet() };
  Object.defineProperty(proto, STATE, { value: state });
  const free = proto.free;
  // `[Symbol.dispose]` is `free` itself: an alias keeps sharing one function.
  const wrappers = new Map();
  const wrap = (key, fn) => {
    if (!wrappers.has(fn)) wrappers.set(fn, guarded(OkerrError, name, proto, state, key, fn, fn === free));
    return wrappers.get(fn);
  };
  for (const key of Reflect.ownKeys(proto)) {
    if (key === 'constructor' || key === STATE) continue;
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (typeof d.value === 'function') d.value = wrap(key, d.value);
    else if (d.get) d.get = wrap(key, d.get);
    else continue;
    Object.defineProperty(proto, key, d);
  }
  // The statics are the factories (`fromEnv`, `fromConfig`): what they make is live.
  for (const key of Reflect.ownKeys(cls)) {
    const d = Object.getOwnPropertyDescriptor(cls, key);
    if (typeof d.value !== 'function') continue;
    const original = d.value;
    d.value = keepName(function (...args) {
      return adopt(original.apply(this, args));
    }, original);
    Object.defineProperty(cls, key, d);
  }
}

/** Records `value` as live when it is an object of a guarded class (the glue just made it). */
function adopt(value) {
  if (typeof value !== 'object' || value === null) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== null && Object.prototype.hasOwnProperty.call(proto, STATE)) proto[STATE].live.add(value);
  return value;
}

function guarded(OkerrError, name, proto, { live, freed }, key, original, isFree) {
  const label = `${name}.${typeof key === 'symbol' ? `[${key.description}]` : key}`;
  // A promise is never an object of the classes: the hot path (`update`) skips `adopt`.
  const makes = !isFree && !ASYNC.has(key);
  return keepName(function (...args) {
    if (live.has(this)) {
      if (isFree) {
        // From a logger, a getter or a fetch called back during a call on this very object:
        // the wasm still holds it, and wasm-bindgen would drop its handle and then refuse,
        // leaving an object that neither works nor says FREED.
        if (inCall.includes(this)) {
          throw new OkerrError(`${label} was called during a call on the same ${name} (from a logger, a getter or another callback?): call it after that call returns`, { code: 'INVALID_ARGUMENT' });
        }
        const result = original.apply(this, args);
        live.delete(this);
        freed.add(this);
        return result;
      }
      if (JS_ONLY.has(key)) return original.apply(this, args);
      inCall.push(this);
      try {
        const result = original.apply(this, args);
        return makes ? adopt(result) : result;
      } finally {
        inCall.pop();
      }
    }
    const wasFreed = freed.has(this);
    if (wasFreed) {
      if (isFree) return undefined;
      if (key === 'toString') return `${name} (freed)`;
      if (key === 'toJSON') return { freed: true };
    }
    const error = wasFreed
      ? new OkerrError(`${label}: this ${name} was freed (free() was called); make a new one`, { code: 'FREED' })
      : new OkerrError(`${label} was called on ${kind(this, proto)}, not on an ${name}`, { code: 'INVALID_ARGUMENT' });
    if (ASYNC.has(key)) return Promise.reject(error);
    throw error;
  }, original);
}

/** Stack traces, `length` and `name` stay those of the generated function. */
function keepName(wrapper, original) {
  Object.defineProperty(wrapper, 'name', { value: original.name });
  Object.defineProperty(wrapper, 'length', { value: original.length });
  return wrapper;
}

function kind(value, proto) {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object' && typeof value !== 'function') return `a ${typeof value}`;
  // A copy, a Proxy (a framework's reactive wrapper) or Object.create(prototype): not the object itself.
  if (proto.isPrototypeOf(value)) return 'an object that only inherits its prototype (a copy or a Proxy of one?)';
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name ? `an object of class ${name}` : 'an object';
}
