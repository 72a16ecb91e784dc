// What the documentation tests read of a Markdown file: its fenced code blocks (with the
// `<!-- example: ... -->` comment before each), its links, and its headings' anchors as GitHub
// (and npm, which follows it) makes them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The Markdown files the documentation tests cover, relative to the repository root. */
export function documents() {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', 'SECURITY.md', 'BENCHMARKS.md', ...docs];
}

/**
 * The fenced code blocks of `text`: `{ lang, code, line, marker }`, `marker` the text of an
 * `<!-- example: ... -->` comment on the last non-blank line before the fence (or null).
 */
export function codeBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let j = i + 1;
    while (j < lines.length && !lines[j].trimStart().startsWith(fence)) j++;
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    const marker = k >= 0 ? /^\s*<!--\s*example:\s*(.*?)\s*-->\s*$/.exec(lines[k])?.[1] ?? null : null;
    const code = lines
      .slice(i + 1, j)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join('\n');
    blocks.push({ lang, code, line: i + 1, marker });
    i = j;
  }
  return blocks;
}

/** `text` without its fenced code blocks, where a heading or a link is not one. */
function withoutBlocks(text) {
  return text.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\1\2\s*$/gm, '');
}

/** The targets of the inline links and images of `text`, outside code. */
export function links(text) {
  const prose = withoutBlocks(text).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
}

/** The anchors of `text`'s headings, as GitHub makes them (a repeated one gets `-1`, `-2`...). */
export function anchors(text) {
  const seen = new Map();
  const out = new Set();
  for (const [, heading] of withoutBlocks(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const shown = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/`/g, '')
      .replace(/\*\*|__/g, '');
    const slug = shown
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n ? `${slug}-${n}` : slug);
  }
  return out;
}

export const read = (file) => readFileSync(join(root, file), 'utf8');
