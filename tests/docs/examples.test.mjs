// Every code block of README.md and docs/*.md is checked against the installed package, so no
// example drifts from the API. The comment before a block says how (`<!-- example: KIND -->`):
//   node (the default for js and ts), deno, workers, browser: type-checked by tsc --strict with
//     that runtime's declarations (@types/node, a minimal Deno namespace, @cloudflare/workers-types,
//     the DOM) against the package's .d.ts, resolved with the runtime's export condition;
//   node, run: also run in Node against a local okerr server (OKERR_* in the environment);
//   not run (why): a block that cannot run here (an install line, a crontab line), with its reason.
// An html block's import map must name files the package has. Any other block needs a marker.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startOkerrServer } from '../server/okerr-server.mjs';
import { codeBlocks, read, root } from './markdown.mjs';

const run = promisify(execFile);
const out = join(root, 'tests/out/docs');
const installed = join(root, 'tests/node_modules/okerrupdate');
const tsc = join(root, 'node_modules/.bin/tsc');
const FILES = ['README.md', 'docs/api.md', 'docs/cli.md', 'docs/dashboard.md', 'docs/development.md', 'docs/project-api.md', 'docs/python.md', 'docs/runtimes.md', 'docs/throttle-store.md', 'docs/update.md'];

/** Per runtime: the compiler options beyond the shared strict ones. */
const RUNTIMES = {
  node: { customConditions: ['node'], lib: ['es2022'], types: ['node'] },
  // Deno has the web platform's fetch types, which the DOM library declares for tsc.
  deno: { customConditions: ['deno'], lib: ['es2022', 'dom'], types: [], paths: { 'npm:okerrupdate': [installed] } },
  workers: { customConditions: ['workerd'], lib: ['es2022'], types: ['@cloudflare/workers-types'] },
  browser: { customConditions: ['browser'], lib: ['es2022', 'dom'], types: [] },
};

// Just what the Deno examples use of Deno's own namespace (deno.test.mjs in tests/packaging
// checks the package against the whole of `deno types`).
const DENO = `declare namespace Deno {
  const env: { get(key: string): string | undefined; toObject(): Record<string, string> };
  interface Kv {
    get(key: readonly string[]): Promise<{ value: unknown; versionstamp: string | null }>;
    atomic(): unknown;
  }
  function openKv(path?: string): Promise<Kv>;
}
`;

const blocks = FILES.flatMap((file) => codeBlocks(read(file)).map((b) => ({ ...b, file, where: `${file}:${b.line}` })));
const kindOf = (b) => (b.marker ?? 'node').split(/[\s,]+/)[0];
const typed = blocks.filter((b) => ['js', 'ts', 'javascript', 'typescript'].includes(b.lang) && !b.marker?.startsWith('not run'));

let server;
before(async () => {
  rmSync(out, { recursive: true, force: true });
  server = await startOkerrServer({ projects: [{ textid: 'docs', policies: { Default: { secret: 'docs-secret' } } }] });
});
after(() => server?.close());

test('every code block is checked, or says why it is not run', () => {
  const unchecked = blocks.filter((b) => {
    if (b.marker?.startsWith('not run')) return !/^not run \(.+\)$/.test(b.marker);
    if (b.lang === 'html') return false;
    return !typed.includes(b) || !RUNTIMES[kindOf(b)];
  });
  assert.deepEqual(unchecked.map((b) => `${b.where} \`\`\`${b.lang} ${b.marker ?? '(no marker)'}`), []);
  assert.ok(typed.length >= 10, `only ${typed.length} typed blocks found`);
});

for (const kind of Object.keys(RUNTIMES)) {
  const mine = typed.filter((b) => kindOf(b) === kind);
  test(`tsc --strict: the ${kind} examples (${mine.length}) type-check against the package's declarations`, { skip: mine.length === 0 }, async () => {
    const dir = join(out, kind);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const files = mine.map((b, i) => {
      const name = `${b.file.replace(/[/.]/g, '_')}_${b.line}.${b.lang.startsWith('t') ? 'ts' : 'js'}`;
      // `export {}` makes every block a module of its own, so top-level names do not clash.
      writeFileSync(join(dir, name), `// ${b.where}\n${b.code}\nexport {};\n`);
      return name;
    });
    if (kind === 'deno') files.push('deno.d.ts'), writeFileSync(join(dir, 'deno.d.ts'), DENO);
    const config = {
      compilerOptions: {
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        strict: true,
        noEmit: true,
        allowJs: true,
        checkJs: true,
        skipLibCheck: false,
        ...RUNTIMES[kind],
      },
      files,
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
    try {
      await run(tsc, ['-p', 'tsconfig.json'], { cwd: dir });
    } catch (e) {
      assert.fail(`tsc found errors in the ${kind} examples:\n${e.stdout}${e.stderr}`);
    }
  });
}

test('the examples marked "run" run in Node against a local okerr server and send what they say', async () => {
  const runnable = typed.filter((b) => /\brun\b/.test(b.marker ?? ''));
  assert.ok(runnable.length >= 1);
  const dir = join(out, 'run');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const env = { ...process.env, OKERR_TEXTID: 'docs', OKERR_SECRET: 'docs-secret', OKERR_URL: server.url };
  for (const b of runnable) {
    const file = join(dir, `${b.file.replace(/[/.]/g, '_')}_${b.line}.mjs`);
    writeFileSync(file, b.code);
    const before = server.received.length;
    const { stderr } = await run(process.execPath, [file], { cwd: dir, env, timeout: 30_000 });
    const sent = server.received.slice(before).filter((r) => r.kind === 'update' && r.outcome === 'accepted');
    assert.ok(sent.length > 0, `${b.where} sent nothing`);
    // Nothing printed at the default level but what the example prints itself.
    assert.doesNotMatch(stderr, /okerr updated|warn/i, `${b.where} printed: ${stderr}`);
  }
  const names = new Set(server.received.filter((r) => r.kind === 'update').map((r) => r.name));
  for (const name of ['backup', 'server:temp', 'import']) assert.ok(names.has(name), `${name} was sent: ${[...names]}`);
});

test("an html block's import map names files the package has", () => {
  const html = blocks.filter((b) => b.lang === 'html');
  assert.ok(html.length >= 1);
  for (const b of html) {
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(b.code);
    assert.ok(map, `${b.where}: no import map`);
    for (const target of Object.values(JSON.parse(map[1]).imports)) {
      const inPackage = /node_modules\/okerrupdate\/(.+)$/.exec(target)?.[1];
      assert.ok(inPackage && existsSync(join(installed, inPackage)), `${b.where}: ${target} is not a file of the package`);
    }
  }
});
