// The packed tarball's layout: one exports map in the right order, one .wasm shared by every
// entry (the inlined copy is byte-identical), and every entry registering the OkerrError class.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
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
  assert.deepEqual(Object.keys(manifest.exports), ['.', './init', './stores/redis', './stores/durable-object', './stores/deno-kv', './okerrupdate_bg.wasm', './package.json']);
  for (const store of ['redis', 'durable-object', 'deno-kv']) assert.equal(Object.keys(manifest.exports[`./stores/${store}`])[0], 'types');
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
  const stores = [
    ['redis', ['node', 'import'], './stores/redis.mjs'],
    ['redis', ['node', 'require'], './stores/redis.cjs'],
    ['redis', ['types', 'require'], './stores/redis.d.cts'],
    ['redis', ['types', 'import'], './stores/redis.d.ts'],
    ['durable-object', ['workerd', 'worker', 'import'], './stores/durable-object.mjs'],
    ['durable-object', ['types', 'import'], './stores/durable-object.d.ts'],
    ['deno-kv', ['deno', 'node', 'import'], './stores/deno-kv.mjs'],
    ['deno-kv', ['types', 'import'], './stores/deno-kv.d.ts'],
  ];
  for (const [store, conditions, want] of stores) assert.equal(resolve(manifest.exports[`./stores/${store}`], conditions), want, `${store}: ${conditions}`);
  const targets = JSON.stringify(manifest.exports).match(/"\.\/[^"]+\.[a-z.]+"/g).map((t) => t.slice(3, -1));
  for (const t of targets) assert.ok(files.includes(t), `${t} is packed`);
});

test('every file the README and the docs link to travels with them', () => {
  const docs = files.filter((f) => /^docs\/[^/]+\.md$/.test(f));
  assert.ok(docs.includes('docs/api.md') && docs.length >= 5, `docs packed: ${docs}`);
  let checked = 0;
  for (const doc of ['README.md', ...docs]) {
    assert.ok(files.includes(doc), `${doc} is packed`);
    const text = readFileSync(join(pkgDir, doc), 'utf8').replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
    for (const [, link] of text.matchAll(/\]\((?![a-z][a-z+.-]*:|#)([^)\s#]+)[^)]*\)/gi)) {
      const target = posix.normalize(posix.join(posix.dirname(doc), link));
      assert.ok(files.includes(target), `${doc} links ${link}, which is not packed (${target})`);
      checked++;
    }
  }
  assert.ok(checked >= 20, `only ${checked} links seen`);
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

test('every entry is "load the wasm" plus one call to the shared wiring, which registers the error class and guards', () => {
  const calls = {
    'index.cjs': /require\('\.\/okerr-wire\.cjs'\)\.wire\(require\('\.\/okerrupdate_node\.cjs'\)\)/,
    'deno.mjs': /= wire\(glue\);/,
    'workerd.mjs': /= wire\(glue\);/,
    'inline.mjs': /= wire\(glue\);/,
    'init.mjs': /= wireLater\(glue\);/,
  };
  for (const [entry, call] of Object.entries(calls)) {
    const text = read(entry);
    assert.match(text, call, entry);
    assert.equal(text.match(/\bwire(Later)?\(/g).length, 1, `${entry} calls the wiring once`);
    assert.doesNotMatch(text, /__setErrorClass|guardClass|addJobMethods|__wbg_ptr/, `${entry} leaves the wiring to okerr-wire`);
  }
  assert.match(read('okerr-wire.mjs'), /__setErrorClass\(OkerrError\)/);
  assert.match(read('okerr-wire.mjs'), /guardClass\(OkerrError, 'OkerrProject'/);
  assert.match(read('okerr-wire.mjs'), /guardClass\(OkerrError, 'OkerrIndicator'/);
  // The guard knows live objects itself: no wasm-bindgen internals (the object's pointer field,
  // its private constructor helpers) are read or called by the package's own modules.
  for (const file of ['okerr-wire.mjs', 'okerr-guard.mjs', 'okerr-job.mjs', 'okerr-fast.mjs', 'okerr-error.mjs']) {
    assert.doesNotMatch(read(file), /__wbg_ptr|__destroy_into_raw|__wrap\b/, file);
  }
  // The CommonJS entry's wiring is the same module, bundled: no second source to drift.
  assert.match(read('okerr-wire.cjs'), /generated by scripts\/finish-pkg\.mjs/);
  assert.match(read('index.mjs'), /createRequire\(import\.meta\.url\)\('\.\/index\.cjs'\)/, 'the Node ESM entry is the CommonJS instance');
});

test("no JS file of the package calls fetch: the HTTP exchange is the Rust core's (web-sys)", () => {
  // wasm-bindgen's generated glue: its import shims are how the Rust core calls fetch, and the
  // web glue's init() fetches the .wasm when given a URL. Every other file is ours.
  const generated = new Set(['okerrupdate_node.cjs', 'okerrupdate_web.js', 'okerrupdate_bg.js', 'bin/okerrupdate_cli.cjs']);
  const scripts = files.filter((f) => /\.(mjs|cjs|js)$/.test(f));
  for (const g of generated) assert.ok(scripts.includes(g), `${g} is packed`);
  // A call of fetch, or fetch reached as a property (globalThis.fetch, self['fetch']).
  const usesFetch = /(?<![\w$.])fetch\s*\(|\.\s*fetch\b|\[\s*['"]fetch['"]\s*\]/;
  for (const file of scripts) {
    const text = read(file);
    if (!generated.has(file)) {
      // Comments may say "fetch"; code may not name it at all.
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\w])\/\/.*$/gm, '$1');
      assert.doesNotMatch(code, /\bfetch\b/, `${file} names fetch`);
      continue;
    }
    const lines = text.split('\n');
    lines.forEach((line, k) => {
      if (!usesFetch.test(line)) return;
      const shim =
        /^\s*(export function )?__wbg_fetch_[0-9a-f]+(: function)?\(\) \{ return handleError\(function \(arg0, arg1\) \{$/.test(lines[k - 1] ?? '') &&
        /^\s*const ret = fetch\(arg0, arg1\);$/.test(line);
      const loader = file === 'okerrupdate_web.js' && line.trim() === 'module_or_path = fetch(module_or_path);';
      assert.ok(shim || loader, `${file}:${k + 1} uses fetch outside the wasm's import shim and the .wasm loader: ${line.trim()}`);
    });
  }
});
