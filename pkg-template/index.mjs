// Node.js, import: the same instance as require('okerrupdate'), so a process that mixes both
// shares one wasm instance, one throttle state and one OkerrError class.
import cjs from './index.cjs';

export const { OkerrProject, OkerrIndicator, OkerrError } = cjs;
