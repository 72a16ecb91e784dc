/**
 * What every entry does with the wasm-bindgen glue it loaded, so that an entry is only "load the
 * wasm the way this runtime needs" and one call: the wasm's failures become `OkerrError`, the
 * classes get `run()` and `wrap()`, and both are guarded against misuse (okerr-guard.mjs).
 * CommonJS entries require okerr-wire.cjs, the same module bundled by scripts/finish-pkg.mjs.
 */
import { OkerrError } from './okerr-error.mjs';
import { guardClass } from './okerr-guard.mjs';
import { addJobMethods } from './okerr-job.mjs';
import { addFastPath } from './okerr-fast.mjs';

/**
 * Wires `glue` (the generated module, or any object with its `OkerrProject`, `OkerrIndicator`
 * and `__setErrorClass`), whose wasm is already instantiated. Returns the package's exports.
 */
export function wire(glue) {
  glue.__setErrorClass(OkerrError);
  return classes(glue);
}

/**
 * `wire` for `okerrupdate/init`, whose wasm comes later: the classes throw `NOT_INITIALIZED`
 * until `started()`, which the entry calls once the glue has instantiated the wasm.
 */
export function wireLater(glue) {
  let ready = false;
  const started = () => {
    glue.__setErrorClass(OkerrError);
    ready = true;
  };
  return { ...classes(glue, () => ready), started };
}

function classes(glue, isReady) {
  addJobMethods(OkerrError, glue);
  const OkerrProject = guardClass(OkerrError, 'OkerrProject', glue.OkerrProject, { isReady });
  const OkerrIndicator = guardClass(OkerrError, 'OkerrIndicator', glue.OkerrIndicator, { madeBy: 'project.indicator(name)', isReady });
  addFastPath(glue.OkerrProject, glue.OkerrIndicator);
  return { OkerrProject, OkerrIndicator, OkerrError };
}
