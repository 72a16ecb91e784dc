// Repetitions and how they are summarised: every figure is the median of several runs, shown
// with its min and max so that noise is visible.

/** `{ min, median, max, n }` of `samples` (numbers). */
export function summary(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { min: s[0], median, max: s[n - 1], n };
}

/** The `q`-quantile (0..1) of an already sorted typed or plain array, nearest rank. */
export function quantile(sorted, q) {
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k];
}

/**
 * Runs each of `variants` (`{ name: async () => value }`) `reps` times, rotating the order
 * every round so that neither side always runs first (warm caches, a busy server, GC debt).
 * Resolves to `{ name: [value...] }`.
 */
export async function interleave(variants, reps) {
  const names = Object.keys(variants);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length];
      out[name].push(await variants[name]());
    }
  }
  return out;
}

/** A ratio of two medians, `a / b`. */
export const ratio = (a, b) => a.median / b.median;

export const fmt = {
  ms: (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + ' ms',
  us: (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2)) + ' µs',
  ns: (x) => x.toFixed(0) + ' ns',
  rate: (x) => Math.round(x).toLocaleString('en-US') + '/s',
  kb: (bytes) => (bytes / 1024).toFixed(1) + ' KB',
  bytes: (bytes) => Math.round(bytes).toLocaleString('en-US') + ' B',
  ratio: (x) => x.toFixed(2),
  pct: (x) => (100 * x).toFixed(1) + '%',
  int: (x) => Math.round(x).toLocaleString('en-US'),
};

/** `min / median / max` of a summary, each through `f`. */
export const spread = (s, f) => `${f(s.min)} / ${f(s.median)} / ${f(s.max)}`;
