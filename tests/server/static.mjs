// Serving files (e.g. the browser dashboard and the built package) under URL prefixes.

import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

export function contentType(file) {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Normalizes the `static` option to [{ prefix, dir }], longest prefix first.
 * Accepts { '/prefix/': 'dir' }, [{ prefix, dir }], or ['DIR:PREFIX', ...].
 */
export function normalizeMounts(opt) {
  if (!opt) return [];
  let list;
  if (Array.isArray(opt)) {
    list = opt.map((m) => {
      if (typeof m !== 'string') return m;
      const i = m.lastIndexOf(':');
      return i > 0 ? { dir: m.slice(0, i), prefix: m.slice(i + 1) } : { dir: m, prefix: '/' };
    });
  } else {
    list = Object.entries(opt).map(([prefix, dir]) => ({ prefix, dir }));
  }
  return list
    .map(({ prefix, dir }) => {
      let p = prefix || '/';
      if (!p.startsWith('/')) p = `/${p}`;
      if (!p.endsWith('/')) p = `${p}/`;
      return { prefix: p, dir: resolve(dir) };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

/** Answers a GET/HEAD for a file under a mount, or null when no file matches. */
export async function serveStatic(mounts, path, method) {
  if (method !== 'GET' && method !== 'HEAD') return null;
  for (const { prefix, dir } of mounts) {
    if (path === prefix.slice(0, -1)) return { status: 301, headers: { Location: prefix }, body: '' };
    if (!path.startsWith(prefix)) continue;
    let file = resolve(join(dir, path.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + sep)) return null;
    try {
      let st = await stat(file);
      if (st.isDirectory()) {
        file = join(file, 'index.html');
        st = await stat(file);
      }
      if (!st.isFile()) continue;
      const body = await readFile(file);
      return {
        status: 200,
        headers: { 'Content-Type': contentType(file), 'Cache-Control': 'no-store' },
        body: method === 'HEAD' ? '' : body,
        length: body.length,
      };
    } catch {
      continue;
    }
  }
  return null;
}
