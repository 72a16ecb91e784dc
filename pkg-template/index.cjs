'use strict';
// Node.js, require(): the CommonJS glue loads the one .wasm beside it, synchronously.
const glue = require('./okerrupdate_node.cjs');
const { OkerrError } = require('./okerr-error.cjs');
const { guardClasses } = require('./okerr-guard.cjs');
const { addJobMethods } = require('./okerr-job.cjs');

glue.__setErrorClass(OkerrError);
addJobMethods(OkerrError, { OkerrProject: glue.OkerrProject, OkerrIndicator: glue.OkerrIndicator });
guardClasses(OkerrError, { OkerrProject: glue.OkerrProject, OkerrIndicator: glue.OkerrIndicator });

module.exports = {
  OkerrProject: glue.OkerrProject,
  OkerrIndicator: glue.OkerrIndicator,
  OkerrError,
};
