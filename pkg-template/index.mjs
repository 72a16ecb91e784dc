// Node.js, import: the same instance as require('okerrupdate'), so a process that mixes both
// shares one wasm instance, one throttle state and one OkerrError class. require() loads it, not
// an import of index.cjs: Node would first parse that file for its export names (and load the
// parser to do so), which costs start-up time for nothing.
import { createRequire } from 'node:module';

export const { OkerrProject, OkerrIndicator, OkerrError } = createRequire(import.meta.url)('./index.cjs');
