// Gives the library's .wasm short import and export names, and its wasm-bindgen glue the same.
//
// wasm-bindgen names each import after its binding plus a 16-digit hash
// (`__wbg_then_656f253a5dd7d8ea`) and each export after its Rust path (a closure's invoker is
// 300 characters long); the .wasm carries every name, and the hashes do not compress. Short
// names (`$a`, `$b`, ...) make the .wasm about 4 KB smaller (2 KB gzipped), and the glue too.
//
// What keeps its name: the import module (Deno resolves `./okerrupdate_bg.js` beside the .wasm),
// `fetch`'s import (tests/packaging finds the glue's only fetch call by it), and the exports that
// code outside the glue uses: `memory`, `__wbindgen_start` (deno.mjs), `__wbindgen_externrefs`
// (bench/memory.mjs).
//
// node scripts/short-names.mjs PKG_DIR: rewrites okerrupdate_bg.wasm and the glue beside it.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const wasmPath = join(dir, 'okerrupdate_bg.wasm');
// The glue of every target: their imports object (or exported functions) and `wasm.NAME` calls.
const glue = ['okerrupdate_node.cjs', 'okerrupdate_web.js', 'okerrupdate_bg.js'];
// The web glue's types list the exports (`InitOutput`).
const types = ['okerrupdate_web.d.ts'];
const keptExports = new Set(['memory', '__wbindgen_start', '__wbindgen_externrefs']);
const keptImport = (name) => name.startsWith('__wbg_fetch_');

const bytes = readFileSync(wasmPath);
const texts = new Map([...glue, ...types].map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
const word = (name) => new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');

// Names `$a`..`$Z`, `$ba`...: valid identifiers, never keywords, checked to be new to the glue.
let counter = 0;
function shortName() {
  for (;;) {
    let n = counter++;
    let name = '';
    do {
      name = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[n % 52] + name;
      n = Math.floor(n / 52);
    } while (n > 0);
    name = `$${name}`;
    if (![...texts.values()].some((t) => word(name).test(t))) return name;
  }
}

function uleb(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
function encodeUleb(n) {
  const out = [];
  do {
    const b = n % 128;
    n = Math.floor(n / 128);
    out.push(n > 0 ? b | 0x80 : b);
  } while (n > 0);
  return Buffer.from(out);
}
function name(at) {
  const [length, start] = uleb(at);
  return [bytes.subarray(start, start + length).toString('utf8'), start + length];
}
const encodeName = (s) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([encodeUleb(b.length), b]);
};
// The end of an import's type: a function's type index, a table's element type and limits, a
// memory's limits, a global's value type and mutability.
function importEnd(kind, at) {
  const limits = (p) => {
    const flags = bytes[p];
    let [, q] = uleb(p + 1);
    if (flags & 1) [, q] = uleb(q);
    return q;
  };
  switch (kind) {
    case 0: return uleb(at)[1];
    case 1: return limits(at + 1);
    case 2: return limits(at);
    case 3: return at + 2;
    default: throw new Error(`short-names: an import of kind ${kind}, which this script does not know`);
  }
}

const imports = new Map();
const exports = new Map();
const out = [bytes.subarray(0, 8)];
let at = 8;
while (at < bytes.length) {
  const id = bytes[at];
  const [size, start] = uleb(at + 1);
  const end = start + size;
  let body = bytes.subarray(start, end);
  if (id === 2 || id === 7) {
    let [count, p] = uleb(start);
    const parts = [encodeUleb(count)];
    for (let i = 0; i < count; i++) {
      let module = null;
      if (id === 2) [module, p] = name(p);
      let field;
      [field, p] = name(p);
      const kind = bytes[p];
      const descEnd = id === 2 ? importEnd(kind, p + 1) : uleb(p + 1)[1];
      const names = id === 2 ? imports : exports;
      const kept = id === 2 ? keptImport(field) : keptExports.has(field);
      if (!kept && !names.has(field)) names.set(field, shortName());
      const short = kept ? field : names.get(field);
      if (id === 2) parts.push(encodeName(module));
      parts.push(encodeName(short), bytes.subarray(p, descEnd));
      p = descEnd;
    }
    body = Buffer.concat(parts);
  }
  out.push(Buffer.from([id]), encodeUleb(body.length), body);
  at = end;
}

for (const [file, text] of texts) {
  let renamed = text;
  for (const [from, to] of imports) renamed = renamed.replace(word(from), to);
  for (const [from, to] of exports) {
    // Only where the glue reaches the wasm (`wasm.NAME`) or its types list it (`readonly NAME:`):
    // the glue has functions of its own with the same names (`__setErrorClass`).
    const esc = from.replace(/\$/g, '\\$');
    renamed = renamed
      .replace(new RegExp(`(?<=\\bwasm\\.)${esc}(?![\\w$])`, 'g'), to)
      .replace(new RegExp(`(?<=^\\s*readonly )${esc}(?=:)`, 'gm'), to);
  }
  texts.set(file, renamed);
}

// Every glue file must still reach each import and export it reached, under its new name: an
// old name left anywhere in the package means a spelling this script does not know.
const everyFile = (d) =>
  readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? everyFile(join(d, f)) : [join(d, f)]));
for (const file of everyFile(dir).filter((f) => /\.(c?js|mjs|d\.c?ts)$/.test(f) && !f.includes('/bin/'))) {
  const rel = file.slice(dir.length + 1);
  const text = texts.get(rel) ?? readFileSync(file, 'utf8');
  for (const old of [...imports.keys(), ...[...exports.keys()].map((e) => `wasm.${e}`)]) {
    const esc = old.replace(/[.$]/g, (c) => `\\${c}`);
    if (new RegExp(`(?<![\\w$])${esc}(?![\\w$])`).test(text)) {
      throw new Error(`short-names: ${rel} still names ${old}`);
    }
  }
}

writeFileSync(wasmPath, Buffer.concat(out));
for (const [file, text] of texts) writeFileSync(join(dir, file), text);
console.error(`short-names: ${imports.size} imports and ${exports.size} exports renamed`);
