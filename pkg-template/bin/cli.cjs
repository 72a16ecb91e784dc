'use strict';
// The command-line tools. This file only reads argv, the environment and the config files,
// prints, and runs the command of `okerrupdate --exec`: what the arguments mean, which settings
// win, what to print, what to report and the exit status are decided in the package's Rust core.
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { homedir, constants } = require('node:os');
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
  // A file the command line names (okerrapi sync FILE): every error is the user's to see.
  for (const path of glue.__cliInputPaths(tool, process.argv.slice(2))) {
    try {
      files[path] = readFileSync(path, 'utf8');
    } catch (e) {
      files[path] = { error: e.code ?? String(e.message) };
    }
  }
  const write = (fd, text) => (fd === 1 ? process.stdout : process.stderr).write(text);
  glue.__runCli(tool, process.argv.slice(2), process.env, home, files, write, launch).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${tool}: ${e?.message ?? e}\n`);
      process.exitCode = 1;
    },
  );
};

// The longest stderr line kept for the report (the core reports at most 200 characters of it).
const LINE_CHARS = 8192;
// After the command exits, how long its stderr may take to give what the command wrote before
// it did (that is already in the pipe, and arrives on the next turns of the event loop): the
// pipe stays open as long as anything the command started holds it, which is no business of
// the report's.
const DRAIN_MS = 100;

/**
 * Runs `argv` with the terminal's stdin and stdout, passing its stderr through while keeping its
 * last line with something on it. Resolves to `{ code }`, `{ signal, signalNumber }` or, when
 * it could not start, `{ error, message }`, each with `lastLine` and `cut`. Settles when the
 * command exits, not when its stderr closes: a child it left in the background
 * (`sh -c 'sleep 10 & exit 0'`) may hold that pipe open for as long as it runs. What stderr
 * gave up to then (and within DRAIN_MS after) is read; then the pipe is let go.
 */
function launch(argv) {
  return new Promise((resolve) => {
    const tail = lastLine();
    let child;
    // While the command runs, okerrupdate must outlive it to report: Ctrl-C reaches the command
    // from the terminal itself, and a SIGTERM sent to okerrupdate alone is passed on to it.
    const forward = () => child?.kill('SIGTERM');
    const ignore = () => {};
    process.on('SIGINT', ignore);
    process.on('SIGTERM', forward);
    let settled = false;
    const done = (result) => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      resolve({ ...result, ...tail.end() });
    };
    try {
      child = spawn(argv[0], argv.slice(1), { stdio: ['inherit', 'inherit', 'pipe'] });
    } catch (e) {
      done({ error: e?.code ?? 'ERROR', message: String(e?.message ?? e) });
      return;
    }
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      tail.push(chunk);
    });
    child.on('error', (e) => done({ error: e?.code ?? 'ERROR', message: String(e?.message ?? e) }));
    child.on('exit', (code, signal) => {
      const ended = signal ? { signal, signalNumber: constants.signals[signal] ?? 0 } : { code: code ?? 0 };
      let timer;
      const finish = () => {
        clearTimeout(timer);
        // Whatever still holds the pipe writes to no one now, and okerrupdate can exit.
        child.stderr.destroy();
        done(ended);
      };
      if (child.stderr.closed) return finish();
      timer = setTimeout(finish, DRAIN_MS);
      child.stderr.once('close', finish);
    });
  });
}

/** The last line of a stream with something on it, at most LINE_CHARS long (`cut` when longer). */
function lastLine() {
  const decoder = new TextDecoder();
  let current = '';
  let currentCut = false;
  let last;
  let lastCut = false;
  const add = (text) => {
    const parts = text.split('\n');
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) {
        if (current.trim()) [last, lastCut] = [current, currentCut];
        [current, currentCut] = ['', false];
      }
      const room = LINE_CHARS - current.length;
      if (parts[i].length > room) currentCut = true;
      current += parts[i].slice(0, Math.max(room, 0));
    }
  };
  return {
    push: (chunk) => add(decoder.decode(chunk, { stream: true })),
    end() {
      add(decoder.decode());
      if (current.trim()) [last, lastCut] = [current, currentCut];
      return { lastLine: last, cut: lastCut };
    },
  };
}
