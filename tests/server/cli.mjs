#!/usr/bin/env node
// Runs the okerr test server until SIGINT/SIGTERM.
//
//   node tests/server/cli.mjs [--port N] [--host 127.0.0.1] [--demo] [--static DIR:PREFIX ...]
//                             [--cors] [--verbose] [--fail-rate R] [--seed N]
//                             [--director-url URL] [--project FILE.json ...] [--no-keep-received]
//
// Prints one line, `okerr test server listening on http://127.0.0.1:PORT/`, once it listens.

import { readFileSync } from 'node:fs';
import { startOkerrServer } from './okerr-server.mjs';

const USAGE = `usage: node tests/server/cli.mjs [--port N] [--host H] [--demo] [--static DIR:PREFIX ...]
       [--cors] [--verbose] [--fail-rate R] [--seed N] [--director-url URL]
       [--project FILE.json ...] [--no-keep-received]`;

function parseArgs(argv) {
  const opts = { static: [], projects: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--port':
        opts.port = Number(value());
        break;
      case '--host':
        opts.host = value();
        break;
      case '--demo':
        opts.demo = true;
        break;
      case '--static':
        opts.static.push(value());
        break;
      case '--cors':
        opts.cors = true;
        break;
      case '--verbose':
      case '-v':
        opts.verbose = true;
        break;
      case '--fail-rate':
        opts.failRate = Number(value());
        break;
      case '--seed':
        opts.seed = Number(value());
        break;
      case '--director-url':
        opts.directorUrl = value();
        break;
      case '--project': {
        const spec = JSON.parse(readFileSync(value(), 'utf8'));
        opts.projects.push(...(Array.isArray(spec) ? spec : [spec]));
        break;
      }
      case '--no-keep-received':
        opts.keepReceived = false;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port < 65536)) {
    throw new Error('--port must be 0..65535');
  }
  return opts;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`${e.message}\n${USAGE}`);
  process.exit(2);
}

const srv = await startOkerrServer(opts);
console.log(`okerr test server listening on ${srv.url}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await srv.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
