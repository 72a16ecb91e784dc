// `POST /update`: okerr's `views.update` and `Indicator.update` (okerrui/models.py), step by
// step and in their order.
//
//   views.update
//     1. required fields textid, name, status              → 200 "Required field 'X' missing"
//     2. tags kept when they start with [a-zA-Z0-9_] (`re.match`, anchored at the start only)
//     3. project                                          → 404 "No such project. (textid: 'X')"
//   Indicator.update
//     4. find the indicator: an all-digit name is a database id (`project.get_indicator`)
//     5. not found: policy by name, else Default; autocreate off → 400; then bad name, max
//        indicators (ERROR:LIMIT_MAXINDICATORS), policy secret, limited, method line, codename;
//        create it (args: method defaults, `secret` '', then the line's args); an active check
//        is created and answered OK without more ado
//     6. disabled                                         → 400 "Indicator <...> disabled"
//     7. update source allowed by the policy (http/smtp)  → 400 "src:'http' updates are not allowed"
//     8. sender IP allowed by the policy                  → 400 "updates from IP not allowed"
//     9. an active check                                  → 400 "ERROR:BAD_METHOD Indicator exists with cm: C"
//    10. secret: the indicator's own `secret` arg, else its policy's; none set: none needed
//                                                         → 400 "Require secret" / "Bad secret"
//    11. the method's handling (heartbeat, numerical, string): a status it cannot use changes
//        nothing (answered 200 OK, recorded `ignored`)
//    12. `error` (even '') sets the problem flag; `keypath`/`origkeypath` are stored ('' when
//        absent) — also after a status that was ignored in 11.
//
// Steps 6-10 run for a freshly created indicator too, so an update refused there leaves the
// new indicator behind, as on the real server.

import { isPassive, parseMethodLine } from './checkmethods.mjs';
import { pyFloat, pyFloatRepr } from './pyfmt.mjs';
import { findIndicator, indicatorRepr, nowSeconds, validName, validTag } from './state.mjs';

/** The real server truncates details to its column size (200). */
const DETAILS_MAX = 200;
/** Update log entries kept per indicator (bounds memory in soak tests). */
const LOG_MAX = 10000;

/** Result helpers: `outcome` is what the control API records. */
const reject = (status, body, reason) => ({ status, body, outcome: 'rejected', reason: reason ?? body });

/**
 * Handles one update.
 * @param store   the Store
 * @param form    last-value-wins object of the form fields
 * @param ctx     { ip, trusted }  sender IP as seen, and whether x_smtp/x_remoteip are honoured
 * @returns { status, body, outcome, reason, textid?, name?, created? }
 */
export function handleUpdate(store, form, ctx) {
  for (const f of ['textid', 'name', 'status']) {
    if (!Object.hasOwn(form, f)) {
      return { status: 200, body: `Required field '${f}' missing`, outcome: 'ignored', reason: `missing field ${f}` };
    }
  }
  const { textid, name } = form;
  const project = store.getProject(textid);
  if (!project) return { ...reject(404, `No such project. (textid: '${textid}')`), textid, name };

  const res = applyUpdate(store, project, form, ctx);
  return { ...res, textid, name };
}

function applyUpdate(store, project, form, ctx) {
  const { name, status } = form;
  const secret = form.secret ?? '';
  const details = form.details ?? '';
  const error = Object.hasOwn(form, 'error') ? form.error : null;
  const cmLine = form.method ?? 'heartbeat';
  const tags = (form.tags ?? '').split(',').filter(validTag);

  let source = 'http';
  let ip = ctx.ip;
  if (ctx.trusted) {
    if (Object.hasOwn(form, 'x_smtp')) source = 'smtp';
    if (Object.hasOwn(form, 'x_remoteip')) ip = form.x_remoteip;
  }

  const now = nowSeconds();
  let ind = findIndicator(project, name);
  let created = false;
  if (!ind) {
    const policy = store.policyFor(project, form.policy);
    if (!policy.autocreate) {
      return reject(400, `Cannot create indicator ${name} because policy ${policy.name} has autocreate off`);
    }
    if (!validName(name)) return reject(400, `Do not create indicator '${name}': bad name`);
    const count = project.indicators.size;
    if (count >= project.maxIndicators) {
      return reject(
        400,
        `ERROR:LIMIT_MAXINDICATORS Project already has ${count} indicators, maxindicators is ${project.maxIndicators}. Indicator not created`,
      );
    }
    if (policy.secret && policy.secret !== secret) {
      return reject(400, `do not create indicator '${name}' with policy '${policy.name}' because doesn't match secret`);
    }
    if (project.limited) return reject(400, 'Project is limited. Indicator not created.');
    const parsed = parseMethodLine(cmLine);
    if (parsed.error) return reject(400, parsed.error);
    ind = store.createIndicator(project, {
      name,
      codename: parsed.codename,
      args: parsed.args,
      methodLine: cmLine,
      policy: policy.name,
      desc: form.desc ?? '',
      tags,
      now,
    });
    created = true;
    // "this is active indicator, we create it, but no need to update it"
    if (!isPassive(ind.codename)) return { status: 200, body: 'OK', outcome: 'accepted', reason: 'created active check', created };
  }

  const policy = project.policies[ind.policy];
  const refused = (status, body) => ({ ...reject(status, body), created });
  if (ind.disabled) return refused(400, `Indicator ${indicatorRepr(ind, project)} disabled`);
  if ((source === 'http' && !policy.httpUpdates) || (source === 'smtp' && !policy.smtpUpdates)) {
    return refused(400, `src:'${source}' updates are not allowed`);
  }
  if (ip && policy.allowIps && !ipAllowed(ip, policy.allowIps)) return refused(400, `updates from ${ip} not allowed`);
  if (!isPassive(ind.codename)) return refused(400, `ERROR:BAD_METHOD Indicator exists with cm: ${ind.codename}`);
  const isecret = ind.args.secret || policy.secret;
  if (isecret) {
    if (!secret) return refused(400, 'Require secret');
    if (isecret !== secret) return refused(400, 'Bad secret');
  }

  const result = evaluate(ind, status, details, now);
  if (error !== null) {
    ind.problem = true;
    ind.error = error;
  }
  ind.keypath = form.keypath ?? '';
  ind.origkeypath = form.origkeypath ?? '';
  if (result.ignored) {
    ind.ignoredCount++;
    return { status: 200, body: 'OK', outcome: 'ignored', reason: result.ignored, created };
  }
  ind.updateCount++;
  return { status: 200, body: 'OK', outcome: 'accepted', reason: result.reason ?? null, created };
}

/** okerr's `register_result` for a passive indicator, with the `details` column cut to size. */
function register(ind, status, details, now) {
  ind.details = cutDetails(details);
  if (status !== ind.status) {
    if (!ind.maintenance) ind.prevstatus = ind.status;
    ind.status = status;
    ind.changed = now;
  }
  ind.updated = now;
}

const cutDetails = (d) => (d.length > DETAILS_MAX ? d.slice(0, DETAILS_MAX - 2) + '..' : d);

/**
 * Per-method handling. Returns `{ ignored: reason }` when the status changes nothing, or
 * `{ reason? }` once the indicator took it.
 */
function evaluate(ind, status, details, now) {
  switch (ind.codename) {
    case 'heartbeat': {
      const s = status.toUpperCase();
      if (s !== 'OK' && s !== 'ERR') return { ignored: `heartbeat status ${JSON.stringify(status)} is not OK/ERR` };
      register(ind, s, details, now);
      return {};
    }
    case 'numerical':
      return evaluateNumerical(ind, status, details, now);
    default:
      return evaluateString(ind, status, details, now);
  }
}

/** okerr's `floatsuffix`: a limit may end in K, M or G (powers of 1024). */
function limitValue(s) {
  const mult = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[s.slice(-1).toUpperCase()];
  if (!mult) return pyFloat(s);
  const n = pyFloat(s.slice(0, -1));
  return n === null ? null : n * mult;
}

/** `update_numerical`, branch by branch. */
function evaluateNumerical(ind, status, details, now) {
  const num = pyFloat(status);
  if (num === null) return { ignored: `numerical status ${JSON.stringify(status)} is not a number` };
  const a = ind.args;
  const f = pyFloatRepr;
  // `self.details = details` comes first, so a broken limit still stores the details sent.
  ind.details = cutDetails(details);
  // The UpdateLog row: the raw status, once float() accepted it, before any limit.
  logValue(ind, status, now);
  const err = (d) => {
    a.current = f(num);
    register(ind, 'ERR', d, now);
    return {};
  };
  const problem = (what) => {
    ind.problem = true;
    return { reason: `Bad ${what} value '${a[what]}', cannot convert to float` };
  };

  if (a.minlim) {
    const lim = limitValue(a.minlim);
    if (lim === null) return problem('minlim');
    if (num < lim) return err(`${details} | ${f(num)} < ${f(lim)} (minlim)`);
  }
  if (a.maxlim) {
    const lim = limitValue(a.maxlim);
    if (lim === null) return problem('maxlim');
    if (num > lim) return err(`${details} | ${f(num)} > ${f(lim)} (maxlim)`);
  }
  if (a.current) {
    const cur = pyFloat(a.current) ?? 0;
    const devabs = num - cur;
    const devp = cur ? ((num - cur) * 100) / cur : 0;
    for (const [key, op] of [
      ['diffmax', '>'],
      ['diffmin', '<'],
    ]) {
      const spec = a[key];
      if (!spec) continue;
      const pct = spec.endsWith('%');
      const lim = pct ? pyFloat(spec.replace(/%+$/, '')) : limitValue(spec);
      if (lim === null) return problem(key);
      const v = pct ? devp : devabs;
      const bad = op === '>' ? v > lim : v < lim;
      if (bad) {
        return err(
          pct
            ? `${details} | ${v.toFixed(2)}% ${op} ${lim.toFixed(2)}% (${key})`
            : `${details} | ${f(v)} ${op} ${f(lim)} (${key})`,
        );
      }
    }
  }
  a.current = f(num);
  register(ind, 'OK', details || f(num), now);
  return {};
}

/** One `UpdateLog` row: when, and the status string exactly as it was sent. */
function logValue(ind, status, now) {
  ind.log.push({ t: now, y: status });
  if (ind.log.length > LOG_MAX * 1.1) ind.log.splice(0, ind.log.length - LOG_MAX);
}

function options(ind) {
  return new Set((ind.args.options ?? '').split(/\s+/).filter(Boolean));
}

/** `update_string`. */
function evaluateString(ind, status, details, now) {
  const a = ind.args;
  const opts = options(ind);
  const nn = details || status;
  const ok = (d) => {
    register(ind, 'OK', d, now);
    return {};
  };
  if (a.str === status) return ok(nn);
  if (opts.has('reinit') && !a.str) {
    a.str = status;
    return ok(nn);
  }
  if (opts.has('empty_err') && !status) {
    register(ind, 'ERR', details || 'Error, because empty value', now);
    return {};
  }
  if (opts.has('empty_ok') && !status) return ok(nn);
  if (opts.has('dynamic')) {
    a.str = status;
    return ok(nn);
  }
  register(ind, 'ERR', nn, now);
  return {};
}

// ---- IP allow lists ------------------------------------------------------------------------

function ipv4ToInt(ip) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** True when `ip` is in one of `list` (IPv4 addresses/CIDRs, IPv6 addresses, `::/0`). */
export function ipAllowed(ip, list) {
  const v4 = ipv4ToInt(ip);
  for (const entry of list) {
    const [net, bitsStr] = String(entry).split('/');
    if (v4 !== null) {
      const n = ipv4ToInt(net);
      if (n === null) continue;
      const bits = bitsStr === undefined ? 32 : Number(bitsStr);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      if (((v4 & mask) >>> 0) === ((n & mask) >>> 0)) return true;
    } else if (ip.includes(':')) {
      if (entry === '::/0' || net.toLowerCase() === ip.toLowerCase()) return true;
    }
  }
  return false;
}
