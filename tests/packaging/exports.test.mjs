// The packed tarball's layout: one exports map in the right order, one .wasm shared by every
// entry (the inlined copy is byte-identical), and every entry registering the OkerrError class.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { root, runOk, SETUP_TIMEOUT } from './helpers.mjs';

const pkgDir = join(root, 'pkg');
const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const read = (file) => readFileSync(join(pkgDir, file), 'utf8');
let files;

before(async () => {
  const { stdout } = await runOk('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: pkgDir });
  files = JSON.parse(stdout)[0].files.map((f) => f.path);
}, { timeout: SETUP_TIMEOUT });

/** Node's resolution of a conditions object: the first key, in the object's order, that applies. */
function resolve(target, conditions) {
  if (typeof target === 'string') return target;
  for (const [key, value] of Object.entries(target)) {
    if (key === 'default' || conditions.includes(key)) {
      const found = resolve(value, conditions);
      if (found) return found;
    }
  }
  return null;
}

test('exports: types first, workerd and worker before browser, deno before node, default last', () => {
  const keys = Object.keys(manifest.exports['.']);
  assert.equal(keys[0], 'types');
  assert.equal(keys.at(-1), 'default');
  assert.ok(keys.indexOf('workerd') < keys.indexOf('browser') && keys.indexOf('worker') < keys.indexOf('browser'));
  assert.ok(keys.indexOf('deno') < keys.indexOf('node'));
  assert.deepEqual(Object.keys(manifest.exports), ['.', './init', './okerrupdate_bg.wasm', './package.json']);
});

test('exports: each runtime\'s conditions pick its entry, and every target is in the tarball', () => {
  const dot = manifest.exports['.'];
  const cases = [
    [['node', 'import'], './index.mjs'],
    [['node', 'require'], './index.cjs'],
    [['deno', 'node', 'import'], './deno.mjs'],
    [['workerd', 'worker', 'browser', 'import'], './workerd.mjs'],
    [['browser', 'import', 'module'], './inline.mjs'],
    [['import'], './inline.mjs'],
    [['types', 'require'], './index.d.cts'],
    [['types', 'import'], './index.d.ts'],
  ];
  for (const [conditions, want] of cases) assert.equal(resolve(dot, conditions), want, conditions.join(','));
  const targets = JSON.stringify(manifest.exports).match(/"\.\/[^"]+\.[a-z.]+"/g).map((t) => t.slice(3, -1));
  for (const t of targets) assert.ok(files.includes(t), `${t} is packed`);
  // Every file the README links to travels with it.
  const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
  for (const [, link] of readme.matchAll(/\]\((?!https?:|#)([^)\s]+)\)/g)) assert.ok(files.includes(link), `README links ${link}, which is not packed`);
});

test('one .wasm behind every library entry; the inlined copy is the same bytes', () => {
  // bin/ holds the command-line tools' own build, which no entry of the exports map loads.
  assert.deepEqual(files.filter((f) => f.endsWith('.wasm') && !f.startsWith('bin/')), ['okerrupdate_bg.wasm']);
  assert.match(read('okerrupdate_node.cjs'), /okerrupdate_bg\.wasm/);
  assert.match(read('deno.mjs'), /from '\.\/okerrupdate_bg\.wasm'/);
  assert.match(read('workerd.mjs'), /from '\.\/okerrupdate_bg\.wasm'/);
  assert.match(read('init.mjs'), /'\.\/okerrupdate_bg\.wasm'/);
  const inlined = read('okerrupdate_inline.js').match(/wasmBase64 = '([^']+)'/)[1];
  assert.ok(Buffer.from(inlined, 'base64').equals(readFileSync(join(pkgDir, 'okerrupdate_bg.wasm'))));
  // Only the explicit-init entry names the file for bundlers; the glue the others share does not.
  assert.doesNotMatch(read('okerrupdate_web.js'), /import\.meta\.url/);
});

test('every entry registers the OkerrError class with its glue, and guards the classes', () => {
  for (const entry of ['index.cjs', 'deno.mjs', 'workerd.mjs', 'inline.mjs', 'init.mjs']) {
    assert.match(read(entry), /__setErrorClass\(OkerrError\)/, entry);
    assert.match(read(entry), /guardClasses\(OkerrError, \{ OkerrProject(: glue\.OkerrProject|: Project)?, OkerrIndicator(: glue\.OkerrIndicator|: Indicator)? \}\)/, entry);
  }
  assert.match(read('index.mjs'), /from '\.\/index\.cjs'/, 'the Node ESM entry is the CommonJS instance');
});
