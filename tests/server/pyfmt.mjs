// Python-compatible parsing and formatting.
//
// The real okerr server is a Django (Python 3) application. Several of its answers and
// decisions depend on Python's own rules: `float(status)` decides whether a numerical update is
// silently dropped, `int(name)` decides whether a name is refused, `str(dict)` shapes the body of
// `/api/set`, and `json.dumps(..., sort_keys=True, indent=4)` shapes the JSON answers. This file
// reproduces exactly those rules, so the test server agrees with the real one byte for byte.

// Characters Python's str.strip()/float()/int() treat as whitespace (Py_UNICODE_ISSPACE).
// Note: not the same set as JS `\s` (Python has \x1c-\x1f, JS has \ufeff).
const WS = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
// Python accepts any Unicode decimal digit, with single underscores between digits.
const DIGITS = '\\p{Nd}(?:_?\\p{Nd})*';

const FLOAT_RE = new RegExp(
  `^${WS}*([+-]?)(?:((?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?)|(infinity|inf|nan))${WS}*$`,
  'iu',
);
const INT_RE = new RegExp(`^${WS}*[+-]?${DIGITS}${WS}*$`, 'u');
const ND_RE = /\p{Nd}/u;

/** Digit value of a Unicode decimal digit (Nd runs come in aligned blocks of ten). */
function digitValue(ch) {
  const cp = ch.codePointAt(0);
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let start = cp;
  while (ND_RE.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

function asciiDigits(s) {
  let out = '';
  for (const ch of s) {
    if (ch === '_') continue;
    out += ND_RE.test(ch) ? String(digitValue(ch)) : ch;
  }
  return out;
}

/**
 * Python `float(s)`: returns the number, or `null` where Python raises ValueError.
 * Accepts `36.6`, `-1`, `1e3`, ` 7 `, `1_000`, `inf`, `-Infinity`, `nan`; rejects `''`, `.`,
 * `1e`, `0x10`, `1,5`, `1__0`.
 */
export function pyFloat(s) {
  if (typeof s !== 'string') return null;
  const m = FLOAT_RE.exec(s);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[3]) return m[3].toLowerCase() === 'nan' ? NaN : sign * Infinity;
  return sign * Number(asciiDigits(m[2]));
}

/** True when Python `int(s)` would succeed (used for the "name parses as an integer" rule). */
export function pyIntParses(s) {
  return typeof s === 'string' && INT_RE.test(s);
}

/** Python `int(s)` for strings that pass pyIntParses; `null` otherwise. */
export function pyInt(s) {
  if (!pyIntParses(s)) return null;
  return Number(asciiDigits(s.trim().replace(/^\+/, '')));
}

/** Marks a number that Python holds as a float (so 37 prints as `37.0`). */
export class PyFloat {
  constructor(value) {
    this.value = value;
  }
}

/** Python `repr(float)`: shortest round-trip digits, `.0` for integral values, `1e+16` style. */
export function pyFloatRepr(x) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  let [mant, exp] = x.toExponential().split('e');
  const neg = mant.startsWith('-');
  if (neg) mant = mant.slice(1);
  const digits = mant.replace('.', '');
  const ex = Number(exp);
  let s;
  if (ex >= -4 && ex < 16) {
    if (ex >= 0) {
      const intPart = digits.padEnd(ex + 1, '0').slice(0, ex + 1);
      const frac = digits.slice(ex + 1) || '0';
      s = `${intPart}.${frac}`;
    } else {
      s = `0.${'0'.repeat(-ex - 1)}${digits}`;
    }
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    s = `${m}e${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
  }
  return neg ? `-${s}` : s;
}

const NONPRINTABLE_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hexEscape(cp) {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Python `repr(str)`. */
export function pyStrRepr(s) {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NONPRINTABLE_RE.test(ch)) out += hexEscape(ch.codePointAt(0));
    else out += ch;
  }
  return out + q;
}

/** Python `repr()` of the simple values our answers contain. */
export function pyRepr(v) {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (typeof v === 'string') return pyStrRepr(v);
  if (v instanceof Map) return pyDictRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return pyDictRepr(new Map(Object.entries(v)));
}

/** Python `str(dict)` for an insertion-ordered Map (Python dicts keep insertion order). */
export function pyDictRepr(map) {
  const parts = [];
  for (const [k, v] of map) parts.push(`${pyRepr(k)}: ${pyRepr(v)}`);
  return `{${parts.join(', ')}}`;
}

/** JSON string literal with Python's default `ensure_ascii=True`. */
function jsonStr(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return out + '"';
}

function jsonNum(n) {
  // Python would write NaN/Infinity, which no JSON parser accepts; we write null instead.
  if (!Number.isFinite(n)) return 'null';
  return Number.isInteger(n) ? String(n) : pyFloatRepr(n);
}

/**
 * Python `json.dumps(value, sort_keys=..., indent=...)`. With `indent`, separators are
 * (',', ': ') as the okerr views pass them; without, Python's defaults (', ', ': ').
 */
export function pyJson(value, { indent = null, sortKeys = false } = {}) {
  const pad = indent == null ? null : ' '.repeat(indent);
  const walk = (v, depth) => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (v instanceof PyFloat) return Number.isFinite(v.value) ? pyFloatRepr(v.value) : 'null';
    if (typeof v === 'number') return jsonNum(v);
    if (typeof v === 'string') return jsonStr(v);
    const isArr = Array.isArray(v);
    let entries = isArr ? v.map((x) => [null, x]) : Object.entries(v).filter(([, x]) => x !== undefined);
    if (!isArr && sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return isArr ? '[]' : '{}';
    const items = entries.map(([k, x]) => (isArr ? '' : `${jsonStr(k)}: `) + walk(x, depth + 1));
    const [open, close] = isArr ? ['[', ']'] : ['{', '}'];
    if (pad === null) return open + items.join(', ') + close;
    const inner = '\n' + pad.repeat(depth + 1);
    return open + inner + items.join(',' + inner) + '\n' + pad.repeat(depth) + close;
  };
  return walk(value, 0);
}

/** Python `str(timedelta(seconds=n))` without microseconds (okerr's `chopms`). */
export function pyTimedelta(seconds) {
  let s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  return days ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}

/** `strftime("%d/%m/%Y %H:%M:%S")` in UTC (Django stores aware UTC datetimes). */
export function pyDateTime(unixSeconds) {
  const d = new Date(unixSeconds * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** okerr's `timesuffix2sec`: `3600`, `300s`, `20m`, `1h`, `2d` → seconds; null when unparsable. */
export function timeSuffixToSeconds(v) {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.floor(v) : null;
  const m = /^\s*(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hours?|d|days?)?\s*$/i.exec(String(v ?? ''));
  if (!m) return null;
  const n = Number(m[1]);
  const u = (m[2] || 's').toLowerCase()[0];
  return n * { s: 1, m: 60, h: 3600, d: 86400 }[u];
}
