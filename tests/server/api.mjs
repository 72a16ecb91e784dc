// The read side of the protocol: the director (section 1), the project API with X-API-KEY
// (section 5) and public status pages (section 6). Each handler returns a plain answer object
// `{ status, headers, body }`; the server core sends it.
//
// Paths are matched after percent-decoding, like Django does, so `df-%2Fvar` and `df-/var` name
// the same indicator; patterns follow the real server's URL table (`api/get/T/NAME/ARG` takes
// the last segment as ARG and everything between as NAME).

import { CHECKMETHODS } from './checkmethods.mjs';
import { pyDictRepr, pyInt, pyJson, pyTimedelta, pyDateTime } from './pyfmt.mjs';
import { allTags, findIndicator, indicatorApiJson, indicatorStr, nowSeconds, validName } from './state.mjs';
import { fixArg, argsFor } from './checkmethods.mjs';

const TEXT = 'text/plain; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

const answer = (status, body, contentType = TEXT, headers = {}) => ({
  status,
  headers: { 'Content-Type': contentType, ...headers },
  body,
});
const pretty = (v) => pyJson(v, { indent: 4, sortKeys: true });

// ---- director -------------------------------------------------------------------------------

/**
 * `GET /api/director/{textid}` (`views.api_director`): the URL of the project's server, with a
 * Client-IP header. A key with `@` is the owner's e-mail address (`Profile` by `user__email`):
 * it names the server of that user's projects. A key `p:ID` is a partner's id, looked up only
 * for a partner's HTTP Basic credentials (`auth_partner`): this server knows no partner, so
 * it is 403, or 500 for an `Authorization` header Python cannot split.
 */
export function director(store, textid, { ip, directorUrl, override, authorization }) {
  if (textid.startsWith('p:')) {
    const page = authorization !== undefined && basicCredentials(authorization) === null ? djangoPage(500) : djangoPage(403);
    return { ...page, textid };
  }
  const project = textid.includes('@')
    ? [...store.projects.values()].find((p) => p.owner === textid)
    : store.getProject(textid);
  if (!project) return { status: 404, headers: { 'Content-Type': HTML }, body: '', textid };
  const url = override ?? project.node ?? directorUrl;
  return { status: 200, headers: { 'Content-Type': 'text/plain', 'Client-IP': ip }, body: `${url}\n`, textid };
}

// ---- project API ----------------------------------------------------------------------------

const ROUTES = [
  [/^api\/indicators\/([^/]+)\/?$/, 'indicators'],
  [/^api\/indicators\/([^/]+)\/(.+)$/s, 'prefix'],
  [/^api\/filter\/([^/]+)(?:\/(.*))?$/s, 'filter'],
  [/^api\/tagfilter\/([^/]+)(?:\/(.*))?$/s, 'tagfilter'],
  [/^api\/indicator\/([^/]+)\/(.+)$/s, 'indicator'],
  [/^api\/(?:set|setarg)\/([^/]+)\/(.+)$/s, 'set'],
  [/^api\/(?:get|getarg)\/([^/]+)\/(.+)\/(.+)$/s, 'get'],
  [/^api\/create\/([^/]+)\/(.+)$/s, 'create'],
  [/^api\/delete\/([^/]+)\/(.+)$/s, 'delete'],
  [/^api\/updatelog\/([^/]+)\/(.+)$/s, 'updatelog'],
];

/**
 * Handles `/api/...` except the director. `path` is decoded and has no leading slash.
 * Returns null when no route matches (the server answers 404).
 */
export function projectApi(store, path, req) {
  if (/^api\/checkmethods/.test(path)) return answer(200, pretty(CHECKMETHODS), 'text/plain');
  for (const [re, op] of ROUTES) {
    const m = re.exec(path);
    if (!m) continue;
    const [, textid, a, b] = m;
    if (op === 'delete' && req.method !== 'POST') return answer(400, 'Must be HTTP POST request\n', HTML);
    const project = store.getProject(textid);
    // getProjectHTTPAuth raises Http404: with DEBUG off, Django's own page.
    if (!project) return { ...djangoNotFound(), textid };
    const refused = httpAuth(project, req.headers);
    if (refused) return { ...refused, textid };
    if (project.node && project.node !== req.baseUrl) {
      return { status: 302, headers: { Location: new URL(req.rawPathAndQuery.replace(/^\/+/, ''), withSlash(project.node)).href }, body: '', textid };
    }
    const res = OPS[op](store, project, a, b, req);
    return { ...res, textid, name: res.name ?? (op === 'indicators' || op === 'prefix' ? undefined : a) };
  }
  return null;
}

const withSlash = (u) => (u.endsWith('/') ? u : `${u}/`);

/**
 * `getProjectHTTPAuth` for a request without a session: an `Authorization` header is HTTP
 * Basic with the owner's e-mail and password (the real server logs the user in; here the
 * owner is the one member), and when it is there the API key is not looked at. Otherwise the
 * `X-API-KEY`. Returns null when the request may go on, else the answer: 403 (Django's page),
 * or 500 where Python's parsing raises (`authtype, auth = ....split(' ')`, `b64decode`,
 * `.decode('utf-8')`, `username, password = auth.split(':')`).
 */
function httpAuth(project, headers) {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const creds = basicCredentials(authorization);
    if (creds === null) return djangoPage(500);
    const [user, password] = creds;
    const ok = project.ownerPassword != null && user === project.owner && password === project.ownerPassword;
    return ok ? null : djangoPage(403);
  }
  const key = headers['x-api-key'];
  return key && project.apiKeys.includes(key) ? null : djangoPage(403);
}

/**
 * `[user, password]` from an `Authorization` header as okerr splits it, or null where Python
 * raises: not two words split on ' ', base64 Python's `b64decode` refuses (bad padding once
 * the characters outside the alphabet are dropped), bytes that are not UTF-8, or not exactly
 * one ':'. The scheme word is not looked at.
 */
export function basicCredentials(header) {
  const words = header.split(' ');
  if (words.length !== 2) return null;
  const b64 = words[1].replace(/[^A-Za-z0-9+/=]/g, '');
  const data = b64.replace(/=+$/, '');
  if (b64.length % 4 !== 0 || data.includes('=') || data.length % 4 === 1) return null;
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64'));
  } catch {
    return null;
  }
  const parts = text.split(':');
  return parts.length === 2 ? parts : null;
}

const names = (list) => answer(200, list.map((i) => `${i.name}\n`).join(''));

function noIndicator(project, name) {
  return answer(404, `No indicator with id ${name} in project with textid ${project.textid}`, HTML);
}

const OPS = {
  indicators: (store, project) => names([...project.indicators.values()]),

  prefix: (store, project, prefix) => names([...project.indicators.values()].filter((i) => i.name.startsWith(prefix))),

  filter(store, project, kvlist = '') {
    // k=v compares an arg (as a string); a bare word is a flag/tag that must be present,
    // `-word` or `!word` one that must be absent. As on the real server, k=v with k not an arg
    // matches nothing.
    const kv = new Map();
    for (const part of kvlist.split('/')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      if (eq >= 0) kv.set(part.slice(0, eq), part.slice(eq + 1));
      else if (part[0] === '-' || part[0] === '!') kv.set(part.slice(1), false);
      else kv.set(part, true);
    }
    const now = nowSeconds();
    const out = [...project.indicators.values()].filter((ind) => {
      const tags = allTags(ind, project.policies[ind.policy], now);
      for (const [k, v] of kv) {
        if (Object.hasOwn(ind.args, k)) {
          if (ind.args[k] === v) continue;
          return false;
        }
        if (typeof v === 'boolean' && tags.includes(k) === v) continue;
        return false;
      }
      return true;
    });
    return names(out);
  },

  tagfilter(store, project, line = '') {
    const want = new Map();
    for (const tok of line.split('/')) {
      if (!tok) continue;
      if (tok[0] === '-') want.set(tok.slice(1), false);
      else want.set(tok[0] === '+' ? tok.slice(1) : tok, true);
    }
    const now = nowSeconds();
    const out = [...project.indicators.values()].filter((ind) => {
      const tags = allTags(ind, project.policies[ind.policy], now);
      for (const [t, must] of want) if (tags.includes(t) !== must) return false;
      return true;
    });
    return names(out);
  },

  indicator(store, project, name) {
    const ind = findIndicator(project, name);
    if (!ind) return noIndicator(project, name);
    return answer(200, pretty(indicatorApiJson(ind, project)) + '\n');
  },

  get(store, project, name, arg) {
    const ind = findIndicator(project, name);
    if (!ind) return noIndicator(project, name);
    const py = (b) => (b ? 'True' : 'False');
    const special = {
      policy: () => ind.policy,
      cm: () => ind.codename,
      checkmethod: () => ind.codename,
      desc: () => ind.desc,
      silent: () => py(ind.silent),
      problem: () => py(ind.problem),
      disabled: () => py(ind.disabled),
    };
    if (Object.hasOwn(special, arg)) return answer(200, `${special[arg]()}\n`);
    if (!Object.hasOwn(ind.args, arg)) return answer(404, `Indicator ${ind.name} with id ${ind.id} has no arg '${arg}'`, HTML);
    return answer(200, `${ind.args[arg]}\n`);
  },

  set(store, project, name, _b, req) {
    const ind = findIndicator(project, name);
    if (!ind) return answer(404, 'No such indicator\n', HTML);
    const form = req.form;
    const has = (k) => Object.hasOwn(form, k);
    const changed = new Map();
    // A name another indicator has breaks the table's unique (name, project) key.
    if (has('name') && form.name !== ind.name && project.indicators.has(form.name)) {
      return djangoPage(500);
    }
    // Validate everything first, so a refused change leaves the indicator untouched.
    if (has('policy') && !Object.hasOwn(project.policies, form.policy)) return answer(404, 'No such policy\n', HTML);
    // Sic: the real server answers "No such policy" for an unknown check method too.
    if (has('checkmethod') && !Object.hasOwn(CHECKMETHODS, form.checkmethod)) return answer(404, 'No such policy\n', HTML);
    for (const b of ['silent', 'disabled', 'problem']) {
      if (has(b) && pyInt(form[b]) === null) return answer(404, `${b} can be only 0 or 1\n`, HTML);
    }
    if (has('maintenance') && pyInt(form.maintenance) === null) return answer(404, 'maintenance can be only 0 or 1', HTML);

    if (has('name')) {
      store.renameIndicator(project, ind, form.name);
      changed.set('name', form.name);
    }
    if (has('policy')) {
      ind.policy = form.policy;
      changed.set('policy', form.policy);
    }
    if (has('description') || has('desc')) {
      ind.desc = has('description') ? form.description : form.desc;
      changed.set('description', ind.desc);
    }
    if (has('location')) {
      ind.location = form.location;
      changed.set('location', form.location);
    }
    if (has('checkmethod')) {
      ind.codename = form.checkmethod;
      ind.methodLine = form.checkmethod;
      ind.args = argsFor(ind.codename);
      changed.set('checkmethod', form.checkmethod);
    }
    for (const b of ['silent', 'disabled', 'problem']) {
      if (!has(b)) continue;
      ind[b] = pyInt(form[b]) !== 0;
      if (b === 'problem' && !ind.problem) ind.error = null;
      changed.set(b, ind[b]);
    }
    if (has('retest')) changed.set('retest', 1);
    if (has('maintenance')) {
      const on = pyInt(form.maintenance) !== 0;
      if (on && !ind.maintenance) ind.maintenance = nowSeconds();
      if (!on) ind.maintenance = null;
      changed.set('maintenance', on);
    }
    for (const [k, v] of Object.entries(form)) {
      if (!Object.hasOwn(ind.args, k)) continue;
      ind.args[k] = fixArg(v);
      changed.set(k, ind.args[k]);
    }
    return answer(200, `Changed ${ind.name} ${pyDictRepr(changed)}\n`);
  },

  create(store, project, name, _b, req) {
    if (req.method !== 'POST') return answer(400, 'Must be HTTP POST request', HTML);
    if (!validName(name)) return answer(400, `Bad name ${name}\n`);
    if (project.indicators.has(name)) return answer(400, `Project ${project.textid} already has indicator ${name}\n`);
    // `Indicator.create` raises its `OkerrError('User already hit maxinidicator limit ...',
    // 'LIMIT_MAXINDICATORS')`, which `api_create` does not catch (only `ValueError`): Django's
    // 500 page, not the `ERROR:` line `/update` answers.
    if (project.indicators.size >= project.maxIndicators) return djangoPage(500);
    if (project.limited) return answer(400, 'Project is limited. Indicator not created\n');
    const ind = store.createIndicator(project, { name, policy: store.policyFor(project, 'Default').name });
    ind.maintenance = nowSeconds(); // the real server starts maintenance on API-created indicators
    return answer(200, `Created ${indicatorStr(ind, project)}\n`, HTML);
  },

  delete(store, project, name) {
    const ind = findIndicator(project, name);
    if (!ind || !store.deleteIndicator(project, ind)) return answer(404, `Project ${project.textid} has no indicator ${name}\n`, HTML);
    return answer(200, `Deleted indicator ${name} from project ${project.textid}\n`, HTML);
  },

  /**
   * `views.api_updatelog`: `json.dumps(data, indent=4)` of `{t, y}` in row order, `t` the row's
   * `int(time.mktime(created.timetuple()))`: whole Unix seconds (the server runs in UTC; the
   * line formatting a date above it is commented out), `y` the raw string that was sent.
   */
  updatelog(store, project, name) {
    const ind = findIndicator(project, name);
    if (!ind) return noIndicator(project, name);
    const rows = ind.log.map((e) => ({ t: Math.floor(e.t), y: e.y }));
    return answer(200, pyJson(rows, { indent: 4 }), 'application/json');
  },
};

// ---- status pages ---------------------------------------------------------------------------

const CORS_ANY = { 'Access-Control-Allow-Origin': '*' };

/**
 * `/jstatus/{textid}/{addr}` as the real `views.jstatus`: it looks at no method, so GET, HEAD
 * and OPTIONS all get the page (an OPTIONS is no preflight answer: no `Access-Control-Allow-*`
 * besides the origin). Each item is `StatusIndicator.export()`: the page entry's own title and
 * desc, no indicator name and no Unix times. Chapters come in entry order, `json.dumps` sorts
 * the keys; the blog is the newest five (`blogrecords()`).
 */
export function jstatus(store, textid, addr, req) {
  addr = addr || 'index';
  const project = store.getProject(textid);
  if (!project) return { status: 404, headers: { 'Content-Type': HTML }, body: '', textid };
  if (project.node && project.node !== req.baseUrl) {
    const location = new URL(`jstatus/${encodeURIComponent(textid)}/${encodeURIComponent(addr)}`, withSlash(project.node)).href;
    return { status: 302, headers: { Location: location, ...CORS_ANY }, body: '', textid };
  }
  const page = project.statusPages[addr];
  if (!page) return { ...djangoNotFound(), textid };
  // `redirect('myauth:login')`: the route is `path('login', ...)`, no trailing slash.
  if (!page.public) return { status: 302, headers: { Location: '/login', 'Content-Type': HTML }, body: '', textid };
  const now = nowSeconds();
  const chapters = {};
  for (const it of page.items) {
    const ind = project.indicators.get(it.name);
    if (!ind) continue; // the real table cascades: an entry dies with its indicator
    (chapters[it.chapter] ??= []).push({
      title: it.title,
      desc: it.desc,
      chapter: it.chapter,
      weight: it.weight,
      status: ind.status,
      details: it.details ? ind.details : null,
      updated: pyDateTime(ind.updated),
      changed: pyDateTime(ind.changed),
      updated_age: pyTimedelta(now - ind.updated),
      changed_age: pyTimedelta(now - ind.changed),
    });
  }
  const blog = [...page.blog].sort((a, b) => b.created - a.created).slice(0, 5);
  const body = {
    addr,
    textid: project.textid,
    name: project.name,
    title: page.title,
    desc: page.desc,
    chapters,
    blog: blog.map((b) => ({ created: pyDateTime(b.created), text: b.text })),
  };
  return { ...answer(200, pretty(body), 'application/json', CORS_ANY), textid };
}

const DJANGO_PAGES = {
  403: ['403 Forbidden', ''],
  404: ['Not Found', 'The requested resource was not found on this server.'],
  500: ['Server Error (500)', ''],
};

/**
 * Django 5.1's own error page (`django.views.defaults`: okerr has no `403.html`, `404.html` or
 * `500.html` template, and `DEBUG` is off): `ERROR_PAGE_TEMPLATE`, with the default content
 * type `text/html; charset=utf-8`.
 */
export function djangoPage(status) {
  const [title, details] = DJANGO_PAGES[status];
  return {
    status,
    headers: { 'Content-Type': HTML },
    body: `\n<!doctype html>\n<html lang="en">\n<head>\n  <title>${title}</title>\n</head>\n<body>\n  <h1>${title}</h1><p>${details}</p>\n</body>\n</html>\n`,
  };
}

/** Django's 404 page (`page_not_found`), as `Http404` and `get_object_or_404` answer. */
export function djangoNotFound() {
  return djangoPage(404);
}
