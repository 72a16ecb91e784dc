// Final touches on pkg/ that need JavaScript: the version from Cargo.toml, and the CommonJS
// twin of every `.mjs` helper that CommonJS entries require (written once, as ESM).
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const cargo = readFileSync('Cargo.toml', 'utf8');
const version = /^version = "([^"]+)"/m.exec(cargo)[1];
const pkgPath = join(dir, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
pkg.version = version;
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');

for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs') && f.startsWith('okerr-'))) {
  const esm = readFileSync(join(dir, file), 'utf8');
  const names = [...esm.matchAll(/^export (?:class|function|const) (\w+)/gm)].map((m) => m[1]);
  const cjs = "'use strict';\n" + esm.replace(/^export (class|function|const) /gm, '$1 ') +
    `\nmodule.exports = { ${names.join(', ')} };\n`;
  writeFileSync(join(dir, file.replace(/\.mjs$/, '.cjs')), cjs);
}
