// Small pure helpers: statuses, ages and DOM building. No state, no fetches.

/** `ok`, `err` or `other`: the colour class of an okerr status. */
export function statusClass(status) {
  const s = String(status ?? '').toUpperCase();
  if (s === 'OK') return 'ok';
  if (s === 'ERR') return 'err';
  return 'other';
}

/** Details as people read them: a numerical check's own ` | 93.5 > 90.0 (maxlim)` without the bar. */
export function cleanDetails(details) {
  return String(details ?? '').replace(/^\s*\|\s*/, '').trim();
}

/**
 * Seconds in a Python `timedelta` string as the server writes ages (`0:02:00`,
 * `12 days, 0:00:00`, `-1 day, 23:59:59.5`), or null. The ages come from the server's clock, so
 * they stay right when the browser's clock is off; the real server sends no unix times.
 */
export function parseTimedelta(text) {
  const m = /^\s*(?:(-?\d+) days?, )?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)\s*$/.exec(String(text ?? ''));
  if (!m) return null;
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** `42 s`, `5 min`, `3 h 12 min`, `12 d 4 h`: short enough for a phone row. */
export function formatAge(seconds) {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 && d < 10 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** `14:03:10`: a time of day on this screen's clock. */
export function formatClock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** Seconds in `90`, `90s`, `15m`, `2h`, `1d` (a URL parameter), or null. */
export function parseDuration(text) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*$/i.exec(String(text ?? ''));
  if (!m) return null;
  const unit = { s: 1, m: 60, min: 60, h: 3600, d: 86400 }[(m[2] ?? 's').toLowerCase()];
  return Number(m[1]) * unit;
}

/**
 * A DOM element: `h('div.row.ok', { title: 'x', onclick }, 'text', child)`. Text is always set
 * as text, never parsed as HTML: details and names come from the server.
 */
export function h(tag, props = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** An OkerrError (or anything thrown) as the parts the page shows. */
export function describeError(e) {
  return {
    code: e?.code ?? e?.name ?? 'ERROR',
    message: e?.message ?? String(e),
    status: typeof e?.status === 'number' ? e.status : null,
  };
}

/**
 * A box showing an error: code, HTTP status when there was one, message, and `advice` (what the
 * person at the screen can do). With `replace`, the advice stands instead of the message (which
 * may be written for a developer).
 */
export function errorBox(e, heading, advice = null, { replace = false } = {}) {
  const { code, message, status } = describeError(e);
  return h(
    'div.notice.bad',
    { role: 'alert' },
    h(
      'div.notice-head',
      {},
      heading ? h('strong', {}, heading) : null,
      h('code.code', { 'data-testid': 'error-code' }, code),
      status !== null ? h('span.http', { 'data-testid': 'error-status' }, `HTTP ${status}`) : null,
    ),
    replace && advice ? null : h('p.notice-text', { 'data-testid': 'error-message' }, message),
    advice ? h('p.notice-text.advice', { 'data-testid': 'error-advice' }, advice) : null,
  );
}

/**
 * A small line chart of update-log points (`[{ t, y }]` with finite numbers, oldest first, as
 * `logPoints()` gives them), or null with fewer than two.
 */
export function sparkline(pts, { width = 240, height = 44 } = {}) {
  if (pts.length < 2) return null;
  const ys = pts.map((p) => p.y);
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const t0 = pts[0].t;
  const span = pts[pts.length - 1].t - t0 || 1;
  const x = (p) => ((p.t - t0) / span) * (width - 4) + 2;
  const y = (v) => height - 3 - ((v - lo) / (hi - lo || 1)) * (height - 6);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${pts.length} values from ${lo} to ${hi}, last ${ys[ys.length - 1]}`);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', pts.map((p) => `${x(p).toFixed(1)},${y(p.y).toFixed(1)}`).join(' '));
  svg.append(line);
  return h('figure.spark-box', {}, svg, h('figcaption.muted', {}, `last ${pts.length} values · min ${lo} · max ${hi} · last ${ys[ys.length - 1]}`));
}
