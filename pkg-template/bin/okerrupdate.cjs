#!/usr/bin/env node
'use strict';
// okerrupdate NAME VALUE: send one update (see okerrupdate --help).
require('./cli.cjs')('okerrupdate');
