// Reading requests: body, form fields (as Django would see them), path decoding, client IP.

const MAX_BODY = 16 * 1024 * 1024;

/** Reads the whole body into a Buffer. Rejects when the client goes away or sends too much. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let len = 0;
    req.on('data', (c) => {
      len += c.length;
      if (len > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { code: 'TOO_LARGE' }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, len)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('client went away'));
    });
  });
}

/**
 * Form fields of a POST, as Django's request.POST: urlencoded or multipart bodies only
 * (any other content type gives no fields). Returns { fields: [[k, v], ...] in order,
 * form: { k: last value } } — a repeated field keeps its first position and its last value.
 */
export function parseForm(method, contentType, body) {
  const fields = [];
  if (method === 'POST' && body.length) {
    const ct = (contentType || '').toLowerCase();
    if (ct.startsWith('application/x-www-form-urlencoded')) {
      for (const kv of new URLSearchParams(body.toString('utf8'))) fields.push(kv);
    } else if (ct.startsWith('multipart/form-data')) {
      const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
      if (m) fields.push(...parseMultipart(body, m[1] ?? m[2]));
    }
  }
  const form = Object.create(null);
  for (const [k, v] of fields) form[k] = v;
  return { fields, form };
}

function parseMultipart(body, boundary) {
  const out = [];
  const text = body.toString('latin1');
  for (const part of text.split(`--${boundary}`)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(head);
    if (!name || /\bfilename=/i.test(head)) continue; // files are not form fields
    const value = part.slice(sep + 4).replace(/\r\n$/, '');
    out.push([Buffer.from(name[1], 'latin1').toString('utf8'), Buffer.from(value, 'latin1').toString('utf8')]);
  }
  return out;
}

/** Percent-decodes a path like Django's path_info; broken escapes are left as they are. */
export function decodePath(raw) {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw.replace(/%([0-9A-Fa-f]{2})/g, (m, h) => {
      const c = parseInt(h, 16);
      return c < 0x80 ? String.fromCharCode(c) : m;
    });
  }
}

/** The peer's IP, IPv4-mapped IPv6 shown as plain IPv4. */
export function clientIp(socket) {
  const a = socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}
