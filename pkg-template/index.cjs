'use strict';
// Node.js, require(): the CommonJS glue loads the one .wasm beside it, synchronously.
const { OkerrProject, OkerrIndicator, OkerrError } = require('./okerr-wire.cjs').wire(require('./okerrupdate_node.cjs'));

// An object literal of names, so that Node's ESM loader sees the named exports of this file.
module.exports = { OkerrProject, OkerrIndicator, OkerrError };
