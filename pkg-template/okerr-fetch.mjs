/**
 * One HTTP exchange for the wasm core, in a single call: `fetch` with a time limit, and the
 * whole answer read (Workers warn about bodies left unread). The core decides everything else
 * (retries, what an answer means); doing the exchange here costs one JS/wasm crossing and one
 * awaited promise per request instead of a dozen crossings and two futures.
 * Resolves to `{ status, body, retryAfter, location }`; rejects with `'timeout'` or fetch's error.
 */
export function okerrFetch(fetchFn, url, method, form, apiKey, noCors, manualRedirect, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const headers = {};
  if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  const init = { method, headers, body: form, signal: controller.signal };
  if (noCors) init.mode = 'no-cors';
  if (manualRedirect) init.redirect = 'manual';
  return (async () => {
    try {
      const response = await (fetchFn ?? globalThis.fetch)(url, init);
      const body = await response.text();
      const { headers: h } = response;
      return { status: response.status, body, retryAfter: h.get('retry-after'), location: h.get('location') };
    } catch (e) {
      throw controller.signal.aborted ? 'timeout' : e;
    } finally {
      clearTimeout(timer);
    }
  })();
}
