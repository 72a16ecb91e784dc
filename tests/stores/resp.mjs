// A tiny Redis client for the tests: RESP2 over one TCP connection, commands pipelined in order.
// Enough for EVAL, PTTL and friends; the package itself needs no client (the store takes any
// client's eval). No npm client: the tests need nothing beyond EVAL that RESP does not show,
// and a dependency (with its own releases to follow) would be for the tests alone.
import net from 'node:net';

/** Connects to 127.0.0.1:`port`. Resolves to { command(...args) → Promise<reply>, eval, close() }. */
export function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const waiting = [];
    let buffer = Buffer.alloc(0);
    socket.on('error', (e) => {
      reject(e);
      for (const w of waiting.splice(0)) w.reject(e);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const parsed = parse(buffer, 0);
        if (!parsed) break;
        buffer = buffer.subarray(parsed.end);
        const w = waiting.shift();
        if (parsed.value instanceof Error) w?.reject(parsed.value);
        else w?.resolve(parsed.value);
      }
    });
    socket.on('connect', () => {
      const command = (...args) =>
        new Promise((ok, fail) => {
          waiting.push({ resolve: ok, reject: fail });
          const parts = [`*${args.length}\r\n`];
          for (const a of args) {
            const s = Buffer.from(String(a));
            parts.push(`$${s.length}\r\n`, s, '\r\n');
          }
          socket.write(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
        });
      resolve({
        command,
        /** The `evalFn` redisThrottleStore takes. */
        eval: (script, keys, args) => command('EVAL', script, keys.length, ...keys, ...args),
        close: () => socket.end(),
      });
    });
  });
}

/** One RESP2 value from `buf` at `at`: { value, end }, or null when it is not all there yet. */
function parse(buf, at) {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(buf[at])) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new Error(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      if (buf.length < next + n + 2) return null;
      return { value: buf.toString('utf8', next, next + n), end: next + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      const items = [];
      let end = next;
      for (let i = 0; i < n; i++) {
        const item = parse(buf, end);
        if (!item) return null;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`RESP: unexpected ${JSON.stringify(line)}`);
  }
}
