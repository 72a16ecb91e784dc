// The README stays short enough for a first hour, and every relative link of the documentation
// (a file, a folder, a heading's #anchor) resolves in the repository. (The npm package carries
// what its README and docs link to: tests/packaging/exports.test.mjs.)
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { anchors, documents, links, read, root } from './markdown.mjs';

const README_LIMIT = 25_000;

test(`README.md is at most ${README_LIMIT.toLocaleString('en')} bytes, and starts with the install line and the two commands`, () => {
  const bytes = statSync(join(root, 'README.md')).size;
  assert.ok(bytes <= README_LIMIT, `README.md is ${bytes} bytes: move depth to docs/`);
  const head = read('README.md').split('\n').slice(0, 8).join('\n');
  for (const line of ['npm install okerrupdate', 'make demo', 'make test']) assert.ok(head.includes(line), `${line} in the first lines`);
});

test('every relative link of README.md, SECURITY.md, BENCHMARKS.md and docs/*.md resolves, #anchors included', () => {
  const broken = [];
  let checked = 0;
  for (const file of documents()) {
    for (const link of links(read(file))) {
      if (/^[a-z][a-z+.-]*:/i.test(link)) continue; // https:, mailto:
      checked++;
      const [path, anchor] = link.split('#');
      const target = path ? normalize(join(dirname(file), decodeURI(path))) : file;
      if (target.startsWith('..') || !existsSync(join(root, target))) {
        broken.push(`${file}: ${link} (no ${target})`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!target.endsWith('.md')) broken.push(`${file}: ${link} (an anchor into a file that is not Markdown)`);
      else if (!anchors(read(target)).has(anchor)) broken.push(`${file}: ${link} (no heading #${anchor} in ${target})`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(checked > 40, `only ${checked} links seen: is the link reader broken?`);
});

test('the anchors are made as GitHub makes them', () => {
  const text = '# A `code` title\n## Jobs: run, wrap, flush\n### --exec: run it\n## Same\n## Same\n```\n# not a heading\n```\n';
  assert.deepEqual([...anchors(text)], ['a-code-title', 'jobs-run-wrap-flush', '--exec-run-it', 'same', 'same-1']);
  assert.deepEqual(links('[a](b.md) `[c](d.md)` ![e](f.png)\n```\n[g](h.md)\n```\n'), ['b.md', 'f.png']);
});
