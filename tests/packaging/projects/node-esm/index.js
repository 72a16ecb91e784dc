// An ES module program, as a user writes one; it also require()s the package, as a dependency
// written in CommonJS would, and both must be the same instance.
import { createRequire } from 'node:module';
import { OkerrProject, OkerrError } from 'okerrupdate';

const required = createRequire(import.meta.url)('okerrupdate');
const okerr = OkerrProject.fromEnv(process.env);
const result = await okerr.indicator('node-esm:temperature', { method: 'numerical|maxlim=37' }).update(36.6);

let badName;
try {
  okerr.indicator('12345');
} catch (e) {
  badName = { esm: e instanceof OkerrError, cjs: e instanceof required.OkerrError, code: e.code };
}
console.log(JSON.stringify({
  result,
  badName,
  sameInstance: required.OkerrProject === OkerrProject && required.OkerrError === OkerrError,
}));
