// Just enough of the wasm binary format to say what the bytes of a module are: section sizes,
// each function body's size with its name (from the `name` custom section of an unstripped
// build), and each data segment's size. Used when `twiggy` is not installed.

function reader(bytes) {
  let pos = 0;
  const r = {
    get pos() {
      return pos;
    },
    set pos(p) {
      pos = p;
    },
    byte: () => bytes[pos++],
    u32() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[pos++];
        result += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return result;
        shift += 7;
      }
    },
    name() {
      const len = r.u32();
      const s = new TextDecoder().decode(bytes.subarray(pos, pos + len));
      pos += len;
      return s;
    },
  };
  return r;
}

const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];

/** `[{ id, kind, name?, start, size }]`: every section of `bytes`, `size` including its header. */
export function sections(bytes) {
  const r = reader(bytes);
  r.pos = 8;
  const out = [];
  while (r.pos < bytes.length) {
    const start = r.pos;
    const id = r.byte();
    const len = r.u32();
    const body = r.pos;
    const s = { id, kind: SECTION[id] ?? `section ${id}`, start: body, end: body + len, size: body + len - start };
    if (id === 0) s.name = r.name();
    out.push(s);
    r.pos = body + len;
  }
  return out;
}

/**
 * Items of the module, like `twiggy top`: `[{ name, size }]` for each function body (named from
 * the name section when present), each data segment, and each other section as a whole.
 */
export function items(bytes) {
  const all = sections(bytes);
  const r = reader(bytes);
  let imported = 0;
  const names = new Map();
  for (const s of all) {
    if (s.kind === 'import') {
      r.pos = s.start;
      for (let n = r.u32(), k = 0; k < n; k++) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0) {
          r.u32();
          imported++;
        } else if (kind === 1) {
          r.byte();
          const flags = r.byte();
          r.u32();
          if (flags & 1) r.u32();
        } else if (kind === 2) {
          const flags = r.byte();
          r.u32();
          if (flags & 1) r.u32();
        } else if (kind === 3) {
          r.byte();
          r.byte();
        } else {
          r.byte();
          r.u32();
        }
      }
    } else if (s.kind === 'custom' && s.name === 'name') {
      r.pos = s.start;
      r.name();
      while (r.pos < s.end) {
        const sub = r.byte();
        const len = r.u32();
        const end = r.pos + len;
        if (sub === 1) {
          for (let n = r.u32(), k = 0; k < n; k++) names.set(r.u32(), r.name());
        }
        r.pos = end;
      }
    }
  }
  const out = [];
  for (const s of all) {
    if (s.kind === 'code') {
      r.pos = s.start;
      const n = r.u32();
      for (let k = 0; k < n; k++) {
        const len = r.u32();
        const index = imported + k;
        out.push({ name: names.get(index) ?? `code[${k}]`, size: len });
        r.pos += len;
      }
    } else if (s.kind === 'data') {
      r.pos = s.start;
      const n = r.u32();
      for (let k = 0; k < n; k++) {
        const start = r.pos;
        const flags = r.u32();
        if (flags === 2) r.u32();
        if (flags !== 1) {
          // An offset expression: one constant or global.get (their LEB operands are read as
          // numbers, since a byte inside one may equal the `end` opcode), then `end`.
          for (let op = r.byte(); op !== 0x0b; op = r.byte()) r.u32();
        }
        const len = r.u32();
        r.pos += len;
        out.push({ name: `data[${k}]`, size: r.pos - start });
      }
    } else {
      out.push({ name: s.kind === 'custom' ? `custom section '${s.name}'` : `${s.kind} section`, size: s.size });
    }
  }
  return out.sort((a, b) => b.size - a.size);
}
