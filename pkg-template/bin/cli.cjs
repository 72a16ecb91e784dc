'use strict';
// The command-line tools. This file only reads argv, the environment and the config files, and
// prints: what the arguments mean, which settings win and what to print are decided in the
// package's Rust core.
const { readFileSync } = require('node:fs');
const { homedir } = require('node:os');
const glue = require('./okerrupdate_cli.cjs');


// A file that is not there (or is a directory) is simply not a config file.
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

module.exports = function main(tool) {
  const home = homedir();
  const files = {};
  for (const path of glue.__cliConfigPaths(home)) {
    try {
      files[path] = readFileSync(path, 'utf8');
    } catch (e) {
      if (!ABSENT.has(e.code)) files[path] = { error: e.code ?? String(e.message) };
    }
  }
  const write = (fd, text) => (fd === 1 ? process.stdout : process.stderr).write(text);
  glue.__runCli(tool, process.argv.slice(2), process.env, home, files, write).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${tool}: ${e?.message ?? e}\n`);
      process.exitCode = 1;
    },
  );
};
