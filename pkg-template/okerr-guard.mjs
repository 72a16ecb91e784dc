/**
 * Checks `this` before any method of the generated classes reaches the wasm.
 *
 * wasm-bindgen trusts the object a method is called on: a method of one class called on an
 * object of the other (`OkerrProject.prototype.indicator.call(indicator)`) reads the wrong Rust
 * value, which can loop for ever inside the wasm and block the whole process, and a freed object
 * fails with a bare "null pointer passed to rust". Here both become an `OkerrError` before the
 * call: `INVALID_ARGUMENT` for an object of another class, `FREED` for one whose `free()` ran.
 * Methods that return a promise reject instead of throwing, like every other failure of theirs.
 * A second `free()` does nothing, and a freed object still prints (`toString`, `toJSON`).
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
  'tagFilter',
  'updateLog',
]);

// Marks a prototype already guarded: two entries of one bundle may share the same glue.
const GUARDED = Symbol.for('okerrupdate.guarded');

/**
 * Wraps every method and getter of each class's prototype with the check above. `classes` maps
 * each class's public name to it (a minifier may rename the class itself).
 */
export function guardClasses(OkerrError, classes) {
  for (const [name, cls] of Object.entries(classes)) {
    const proto = cls.prototype;
    if (Object.prototype.hasOwnProperty.call(proto, GUARDED)) continue;
    Object.defineProperty(proto, GUARDED, { value: true });
    const free = proto.free;
    // `[Symbol.dispose]` is `free` itself: an alias keeps sharing one function.
    const wrappers = new Map();
    const wrap = (key, fn) => {
      if (!wrappers.has(fn)) wrappers.set(fn, guarded(OkerrError, name, cls, key, fn, fn === free));
      return wrappers.get(fn);
    };
    for (const key of Reflect.ownKeys(proto)) {
      // The constructor makes the object; `__destroy_into_raw` is only called by `free()`.
      if (key === 'constructor' || key === '__destroy_into_raw') continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (typeof d.value === 'function') d.value = wrap(key, d.value);
      else if (d.get) d.get = wrap(key, d.get);
      else continue;
      Object.defineProperty(proto, key, d);
    }
  }
}

function guarded(OkerrError, name, cls, key, original, isFree) {
  const label = `${name}.${typeof key === 'symbol' ? `[${key.description}]` : key}`;
  function wrapper(...args) {
    if (this instanceof cls && this.__wbg_ptr) return original.apply(this, args);
    if (this instanceof cls) {
      if (isFree) return undefined;
      if (key === 'toString') return `${name} (freed)`;
      if (key === 'toJSON') return { freed: true };
    }
    const error =
      this instanceof cls
        ? new OkerrError(`${label}: this ${name} was freed (free() was called); make a new one`, { code: 'FREED' })
        : new OkerrError(`${label} was called on ${kind(this)}, not on an ${name}`, { code: 'INVALID_ARGUMENT' });
    if (ASYNC.has(key)) return Promise.reject(error);
    throw error;
  }
  // Stack traces, `length` and `name` stay those of the generated method.
  Object.defineProperty(wrapper, 'name', { value: original.name });
  Object.defineProperty(wrapper, 'length', { value: original.length });
  return wrapper;
}

/**
 * For `okerrupdate/init`: each class behind a Proxy whose constructor and static methods throw
 * an `OkerrError` (`NOT_INITIALIZED`) until `isReady()`, instead of failing inside the glue on a
 * wasm that is not there yet. Instances, `instanceof` and subclasses are those of the class.
 */
export function untilReady(OkerrError, classes, isReady) {
  const out = {};
  for (const [name, cls] of Object.entries(classes)) {
    const check = () => {
      if (!isReady()) {
        throw new OkerrError(`${name} was used before init() or initSync() finished: await init() first`, { code: 'NOT_INITIALIZED' });
      }
    };
    out[name] = new Proxy(cls, {
      construct(target, args, newTarget) {
        check();
        return Reflect.construct(target, args, newTarget);
      },
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        // Only the class's own static methods (`fromEnv`...), not `Symbol.hasInstance` & co.
        const own = Object.prototype.hasOwnProperty.call(target, key);
        if (!own || typeof value !== 'function' || isReady()) return value;
        return function notReady(...args) {
          check();
          return value.apply(this, args);
        };
      },
    });
  }
  return out;
}

function kind(value) {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object' && typeof value !== 'function') return `a ${typeof value}`;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name ? `an object of class ${name}` : 'an object';
}
