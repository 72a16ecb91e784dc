// Measurement 1: what the package costs to carry. The .wasm raw and gzipped, each runtime entry
// of pkg/package.json's exports map with the JS it loads, and what the wasm's bytes are.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { items as parseItems } from './wasm-sections.mjs';

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

/** Every file an entry loads: relative imports, re-exports, dynamic imports and requires. */
function reach(pkgDir, entry) {
  const seen = new Set();
  const wasm = new Set();
  const visit = (file) => {
    if (seen.has(file) || !existsSync(join(pkgDir, file))) return;
    seen.add(file);
    const text = readFileSync(join(pkgDir, file), 'utf8');
    const specs = [
      ...text.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"](\.[^'"]+)['"]/g),
      ...text.matchAll(/\bimport\s*['"](\.[^'"]+)['"]/g),
      ...text.matchAll(/\b(?:import|require)\s*\(\s*['"](\.[^'"]+)['"]\s*\)/g),
      ...text.matchAll(/\bcreateRequire\(import\.meta\.url\)\(\s*['"](\.[^'"]+)['"]\s*\)/g),
      ...text.matchAll(/new URL\(\s*['"](\.?\.?\/?[^'"]+)['"]\s*,\s*import\.meta\.url/g),
    ].map((m) => m[1]);
    // The nodejs glue reads the wasm by path: `${__dirname}/x_bg.wasm`.
    for (const m of text.matchAll(/['"`/]([\w.-]+\.wasm)['"`]/g)) specs.push('./' + m[1]);
    for (const spec of specs) {
      const target = normalize(join(dirname(file), spec));
      if (target.endsWith('.wasm')) wasm.add(target);
      else visit(target);
    }
  };
  visit(normalize(entry));
  return { js: [...seen], wasm: [...wasm] };
}

/** `[{ condition, file }]`: each leaf of the exports map that is a JS entry. */
function entries(pkg) {
  const out = [];
  const walk = (node, path) => {
    if (typeof node === 'string') {
      if (/\.(c|m)?js$/.test(node)) out.push({ condition: path.join(' > '), file: node });
    } else if (Array.isArray(node)) {
      node.forEach((n) => walk(n, path));
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) if (k !== 'types') walk(v, [...path, k]);
    }
  };
  const exp = pkg.exports ?? { '.': pkg.main ?? './index.js' };
  walk(typeof exp === 'string' ? { '.': exp } : exp, []);
  return out;
}

/** Sizes of pkg/: the wasm and every entry with the JS it loads (raw, and gzipped as one bundle). */
export function packageSizes(pkgDir) {
  const wasmFile = join(pkgDir, 'okerrupdate_bg.wasm');
  const wasmBytes = readFileSync(wasmFile);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const rows = entries(pkg).map(({ condition, file }) => {
    const { js, wasm } = reach(pkgDir, file);
    const bundle = Buffer.concat(js.map((f) => readFileSync(join(pkgDir, f))));
    const inlinedWasm = bundle.length > wasmBytes.length / 2;
    return {
      condition,
      file,
      files: js,
      raw: bundle.length,
      gzip: gz(bundle),
      wasm: wasm.length > 0 ? wasm.join(', ') : inlinedWasm ? '(inlined)' : '-',
      withWasmGzip: gz(bundle) + (wasm.length > 0 ? gz(wasmBytes) : 0),
    };
  });
  // Any other .wasm in the package (the command-line tools' own build) is listed, not targeted.
  const others = readdirSync(pkgDir, { recursive: true })
    .filter((f) => f.endsWith('.wasm') && f !== 'okerrupdate_bg.wasm')
    .map((f) => {
      const b = readFileSync(join(pkgDir, f));
      return { file: f, raw: b.length, gzip: gz(b) };
    });
  return { wasm: { raw: wasmBytes.length, gzip: gz(wasmBytes) }, others, entries: rows };
}

const CATEGORIES = [
  ['panics and bounds checks', /panic|unwrap_failed|expect_failed|slice_error|slice_(start|end)_index|index_out_of_bounds|str_index|assert_failed|rust_begin_unwind|abort/i],
  ['core::fmt (formatting, incl. float printing)', /core(\[\w+\])?::fmt|alloc(\[\w+\])?::fmt|::fmt::|flt2dec|dragon|grisu|fmt_u(32|64)|pad_integral/],
  ['serde', /serde/],
  ['wasm-bindgen export shims (with inlined callee code)', /\bshim\b/],
  ['wasm-bindgen, js-sys, web-sys, futures glue', /wasm_bindgen|js_sys|web_sys|__wbindgen|__wbg|externref|__wbg_|describe/],
  ['our wasm face (src/wasm/)', /okerrupdate(\[\w+\])?::wasm::/],
  ['our core (src/)', /okerrupdate/],
  ['allocator and memory builtins', /dlmalloc|__rust_(alloc|dealloc|realloc)|__rdl_|__rg_|alloc(\[\w+\])?::alloc|memcpy|memmove|memset|memcmp|compiler_builtins/],
  ['std: collections, strings, hashing', /hashbrown|alloc(\[\w+\])?::|core(\[\w+\])?::|std(\[\w+\])?::/],
  ['data segments (string literals, tables)', /data segment|^data\[/],
  ['tables, types, imports, exports', /section|table|elem|import|export|type/i],
];

export const categorise = (name) => (CATEGORIES.find(([, re]) => re.test(name)) ?? ['other'])[0];

function buildFeatures(root) {
  const build = readFileSync(join(root, 'scripts/build.sh'), 'utf8');
  const m = /^features="([^"]+)"/m.exec(build);
  return m ? m[1].split(/\s+/) : [];
}

/**
 * What the shipped wasm's bytes are. Rebuilds the shipped pipeline (wasm-bindgen, wasm-opt -Oz)
 * from target/'s compile but keeps the name section (`-g`), so every function has its name and
 * the code is the code that ships; then `twiggy top` (or our own name-section reader when
 * twiggy is missing) lists the items, grouped into categories.
 */
export function wasmBreakdown(root, outDir, shippedBytes) {
  // scripts/build.sh compiles with the pinned nightly into target/size when it can.
  const compiled = ['target/size', 'target'].map((t) => join(root, t, 'wasm32-unknown-unknown/release/okerrupdate.wasm')).find(existsSync) ?? join(root, 'target/wasm32-unknown-unknown/release/okerrupdate.wasm');
  if (!existsSync(compiled)) return { error: `no ${relative(root, compiled)}: run make build first` };
  mkdirSync(outDir, { recursive: true });
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString();
  run('wasm-bindgen', ['--target', 'nodejs', '--out-dir', outDir, '--out-name', 'okerrupdate', compiled]);
  const named = join(outDir, 'okerrupdate_named.wasm');
  const features = buildFeatures(root);
  run(join(root, 'node_modules/.bin/wasm-opt'), ['-Oz', '-g', '--strip-producers', ...features, join(outDir, 'okerrupdate_bg.wasm'), '-o', named]);

  let tool;
  let list;
  try {
    const json = run('twiggy', ['top', '--format', 'json', named]);
    list = JSON.parse(json).map((i) => ({ name: i.name, size: i.shallow_size }));
    tool = 'twiggy ' + run('twiggy', ['--version']).trim().split(/\s+/).pop();
  } catch {
    list = parseItems(readFileSync(named));
    tool = "bench/lib/wasm-sections.mjs (twiggy not installed; names are raw symbols)";
  }
  // The name section exists only in this analysis build; everything else is what ships.
  const isNames = (n) => /subsection|custom section 'name'|^"?name"? section/.test(n);
  const code = list.filter((i) => !isNames(i.name));
  const total = code.reduce((a, i) => a + i.size, 0);
  const byCat = new Map();
  for (const i of code) {
    i.category = categorise(i.name);
    byCat.set(i.category, (byCat.get(i.category) ?? 0) + i.size);
  }
  const categories = [...byCat].map(([name, bytes]) => ({ name, bytes, share: bytes / total })).sort((a, b) => b.bytes - a.bytes);
  const top = code.slice().sort((a, b) => b.size - a.size).slice(0, 20).map((i) => ({ ...i, share: i.size / total }));
  return { tool, total, namedFile: named, shipped: shippedBytes, categories, top };
}
