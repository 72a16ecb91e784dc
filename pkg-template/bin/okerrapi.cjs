#!/usr/bin/env node
'use strict';
// okerrapi COMMAND [ARG ...]: the okerr project API (see okerrapi --help).
require('./cli.cjs')('okerrapi');
