// Numbers of the update log as the server stores them: `y` is the text an update sent
// (`" 7 "`, `"1e3"`, `"nan"`), which the server itself reads with Python's float().

// The whitespace Python's float() strips: JavaScript's \s without U+FEFF, with U+0085 (and not
// U+001C..U+001F, which str.isspace() accepts but float() does not strip).
const WS = '\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE = new RegExp(`^[${WS}]+|[${WS}]+$`, 'gu');
const DIGIT = /\p{Nd}/gu;
const FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** The ASCII digit of any Unicode decimal digit: Python's float() reads `'٣'` as 3. */
function asciiDigit(ch) {
  const cp = ch.codePointAt(0);
  // Decimal digits come in runs of ten from 0 to 9 (some runs back to back), so the
  // distance from the start of the run, modulo ten, is the digit's value.
  let start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return String((cp - start) % 10);
}

/**
 * The value of `text` as Python's `float(text)` reads it, or null where float() fails or gives
 * inf/nan (nothing a chart can draw). A number is taken as it is when finite.
 */
export function pyFloat(text) {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string') return null;
  const s = text.replace(SPACE, '').replace(DIGIT, asciiDigit);
  if (SPECIAL.test(s) || !FLOAT.test(s)) return null;
  const v = Number(s.replaceAll('_', ''));
  return Number.isFinite(v) ? v : null;
}

/**
 * Unix seconds of an update-log time: the server writes a number, Unix seconds
 * (`int(time.mktime(created.timetuple()))` in `api_updatelog`). The date string an older
 * version of the view wrote (`'%Y-%m-%d %H:%M:%S'`, UTC) is still read. NaN when it is neither.
 */
export function logTime(t) {
  if (typeof t === 'number') return Number.isFinite(t) ? t : NaN;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(String(t ?? '').trim());
  return m ? Date.UTC(m[1], m[2] - 1, m[3], m[4], m[5], m[6]) / 1000 : NaN;
}

/** Update-log entries as chart points `{ t, y }`, oldest first, without what does not parse. */
export function logPoints(log) {
  return (Array.isArray(log) ? log : [])
    .map((e) => ({ t: logTime(e?.t), y: pyFloat(e?.y) }))
    .filter((p) => p.y !== null && Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
}
