// The test-control API under /__test/, for tests that can only talk HTTP (Deno, workerd,
// browsers). Every answer is JSON and carries permissive CORS headers: this API is not part of
// the okerr protocol, and a dashboard on another origin must be able to drive it.

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};

const ENDPOINTS = {
  'GET /__test/received': 'every request received (?path=PREFIX&kind=K&outcome=O&since=ID&limit=N)',
  'DELETE /__test/received': 'forget received requests and counters',
  'POST /__test/reset': 'back to the seeded projects; clears received, counters, faults',
  'POST /__test/fault': 'queue a fault (JSON object or array)',
  'GET /__test/faults': 'faults still queued',
  'DELETE /__test/faults': 'drop queued faults',
  'GET /__test/state': 'projects and indicators (?textid=T)',
  'POST /__test/project': 'add or replace a project (JSON project spec)',
  'GET /__test/stats': 'counters',
  'POST /__test/config': 'change failRate, seed, cors, directorUrl, keepReceived, verbose',
};

function json(status, value) {
  return { status, headers: { 'Content-Type': 'application/json', ...CORS }, body: JSON.stringify(value, null, 2) };
}

function parseJson(body) {
  const text = body.toString('utf8').trim();
  return text ? JSON.parse(text) : {};
}

/**
 * Answers a /__test/ request. `api` is the object startOkerrServer returns.
 */
export function control(api, method, path, query, body) {
  if (method === 'OPTIONS') return { status: 204, headers: CORS, body: '' };
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /__test':
        return json(200, { endpoints: ENDPOINTS });
      case 'GET /__test/received':
        return json(200, filterReceived(api.received, new URLSearchParams(query)));
      case 'DELETE /__test/received':
      case 'POST /__test/received/clear':
        api.clearReceived();
        return json(200, { ok: true });
      case 'POST /__test/reset':
        api.reset();
        return json(200, { ok: true });
      case 'POST /__test/fault':
      case 'POST /__test/faults': {
        const queued = api.addFault(parseJson(body));
        return json(200, { ok: true, queued, pending: api.faults.size });
      }
      case 'GET /__test/faults':
        return json(200, api.faults.pending());
      case 'DELETE /__test/faults':
        api.clearFaults();
        return json(200, { ok: true });
      case 'GET /__test/state':
        return json(200, api.snapshot(new URLSearchParams(query).get('textid') ?? undefined));
      case 'POST /__test/project':
        return json(200, { ok: true, project: api.addProject(parseJson(body)) });
      case 'GET /__test/stats':
        return json(200, api.stats);
      case 'POST /__test/config':
        return json(200, { ok: true, config: api.configure(parseJson(body)) });
      default:
        return json(404, { error: `no such control endpoint: ${route}`, endpoints: ENDPOINTS });
    }
  } catch (e) {
    return json(400, { error: e.message });
  }
}

function filterReceived(received, q) {
  const path = q.get('path');
  const kind = q.get('kind');
  const outcome = q.get('outcome');
  const since = Number(q.get('since') ?? 0);
  let out = received.filter(
    (r) => r.id > since && (!path || r.path.startsWith(path)) && (!kind || r.kind === kind) && (!outcome || r.outcome === outcome),
  );
  const limit = Number(q.get('limit') ?? 0);
  if (limit > 0) out = out.slice(-limit);
  return out;
}
