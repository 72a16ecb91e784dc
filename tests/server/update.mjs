// `POST /update`: the checks of the protocol page's table, in the order the real server would
// plausibly apply them, then the per-method status handling (heartbeat, numerical, string).
//
// Order of precedence (see README "Decisions"):
//   1. required fields textid, name, status            → 200 "Required field 'X' missing"
//   2. project                                         → 404 "No such project. (textid: 'X')"
//   3. secret (project secrets, policy secret, indicator's own `secret` arg)
//                                                      → 400 "Require secret" / "Bad secret"
//   4. policy: HTTP updates allowed, sender IP allowed → 400
//   5. creating: autocreate, name, max indicators, policy secret, limited, method line, codename
//   6. existing active-method indicator                → 400 "ERROR:BAD_METHOD ..."
//   7. disabled                                        → 400 "Indicator <...> disabled"
//   8. status: a heartbeat status other than OK/ERR, or a numerical status Python's float()
//      rejects, is answered 200 "OK" and changes nothing (recorded as `ignored`).

import { isPassive, parseMethodLine } from './checkmethods.mjs';
import { pyFloat, pyFloatRepr, PyFloat } from './pyfmt.mjs';
import { indicatorStr, nowSeconds, validName, validTag } from './state.mjs';

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
  const { textid, name, status } = form;
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

  let source = 'http';
  let ip = ctx.ip;
  if (ctx.trusted) {
    if (Object.hasOwn(form, 'x_smtp')) source = 'smtp';
    if (Object.hasOwn(form, 'x_remoteip')) ip = form.x_remoteip;
  }

  let ind = project.indicators.get(name);
  const policy = ind ? project.policies[ind.policy] : store.policyFor(project, form.policy);

  // 3. secrets
  if (ind) {
    const accepted = [...project.secrets, policy.secret, ind.args.secret].filter(Boolean);
    if (accepted.length) {
      if (!secret) return reject(400, 'Require secret');
      if (!accepted.includes(secret)) return reject(400, 'Bad secret');
    }
  } else if (project.secrets.length) {
    if (!secret) return reject(400, 'Require secret');
    if (![...project.secrets, policy.secret].filter(Boolean).includes(secret)) return reject(400, 'Bad secret');
  }

  // 4. policy
  if ((source === 'http' && !policy.httpUpdates) || (source === 'smtp' && !policy.smtpUpdates)) {
    return reject(400, `src:'${source}' updates are not allowed`);
  }
  if (policy.allowIps && !ipAllowed(ip, policy.allowIps)) return reject(400, `updates from ${ip} not allowed`);

  // 5. creation
  let created = false;
  const now = nowSeconds();
  if (!ind) {
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
    const tags = (form.tags ?? '').split(',').filter(validTag);
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
    // An active check may be created through /update, but its status is the server's business.
    if (!isPassive(ind.codename)) return { status: 200, body: 'OK', outcome: 'accepted', reason: 'created active check', created };
  } else {
    // 6, 7
    if (!isPassive(ind.codename)) return reject(400, `ERROR:BAD_METHOD Indicator exists with cm: ${ind.codename}`);
    if (ind.disabled) return reject(400, `Indicator <Indicator: ${indicatorStr(ind, project)}> disabled`);
  }

  // 8. status
  const result = evaluate(ind, status, details);
  if (result.ignored) {
    ind.ignoredCount++;
    return { status: 200, body: 'OK', outcome: 'ignored', reason: result.ignored, created };
  }
  if (result.newStatus !== null) register(ind, result.newStatus, result.details, now);
  if (error !== null) {
    ind.problem = true;
    ind.error = error;
  }
  ind.keypath = form.keypath ?? '';
  ind.origkeypath = form.origkeypath ?? '';
  ind.updateCount++;
  return { status: 200, body: 'OK', outcome: 'accepted', reason: result.reason ?? null, created };
}

/** One `UpdateLog` row: when, and the status string exactly as it was sent. */
function logValue(ind, status) {
  ind.log.push({ t: nowSeconds(), y: status });
  if (ind.log.length > LOG_MAX * 1.1) ind.log.splice(0, ind.log.length - LOG_MAX);
}

function register(ind, status, details, now) {
  ind.details = details.length > DETAILS_MAX ? details.slice(0, DETAILS_MAX - 2) + '..' : details;
  if (status !== ind.status) {
    ind.prevstatus = ind.status;
    ind.status = status;
    ind.changed = now;
  }
  ind.updated = now;
}

/**
 * Per-method handling. Returns `{ ignored: reason }` for silent refusals, or
 * `{ newStatus, details, y, reason? }` (newStatus null: the update is accepted but leaves the
 * status alone, e.g. a numerical indicator whose limit arg is not a number).
 */
function evaluate(ind, status, details) {
  switch (ind.codename) {
    case 'heartbeat': {
      const s = status.toUpperCase();
      if (s !== 'OK' && s !== 'ERR') return { ignored: `heartbeat status ${JSON.stringify(status)} is not OK/ERR` };
      return { newStatus: s, details, y: s };
    }
    case 'numerical':
      return evaluateNumerical(ind, status, details);
    case 'string':
      return evaluateString(ind, status, details);
    default:
      return { ignored: `method ${ind.codename} takes no updates` };
  }
}

/** okerr's `floatsuffix`: a limit may end in K, M or G (powers of 1024). */
function limitValue(s) {
  const mult = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[s.slice(-1).toUpperCase()];
  return mult ? pyFloat(s.slice(0, -1)) * mult : pyFloat(s);
}

function evaluateNumerical(ind, status, details) {
  const num = pyFloat(status);
  if (num === null) return { ignored: `numerical status ${JSON.stringify(status)} is not a number` };
  // update_numerical saves an UpdateLog row with the raw status once float() accepts it,
  // before any limit is looked at.
  logValue(ind, status);
  const y = new PyFloat(num);
  const a = ind.args;
  const f = pyFloatRepr;
  const err = (d) => {
    a.current = f(num);
    return { newStatus: 'ERR', details: d, y };
  };
  const problem = (what) => {
    ind.problem = true;
    ind.error = `Bad ${what} value '${a[what]}', cannot convert to float`;
    return { newStatus: null, details, y, reason: ind.error };
  };

  if (a.minlim) {
    const lim = limitValue(a.minlim);
    if (lim === null || Number.isNaN(lim)) return problem('minlim');
    if (num < lim) return err(`${details} | ${f(num)} < ${f(lim)} (minlim)`);
  }
  if (a.maxlim) {
    const lim = limitValue(a.maxlim);
    if (lim === null || Number.isNaN(lim)) return problem('maxlim');
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
      const lim = pct ? pyFloat(spec.slice(0, -1)) : limitValue(spec);
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
  return { newStatus: 'OK', details: details || f(num), y };
}

function options(ind) {
  return new Set((ind.args.options ?? '').split(/\s+/).filter(Boolean));
}

function evaluateString(ind, status, details) {
  const a = ind.args;
  const opts = options(ind);
  const nn = details || status;
  if (a.str === status) return { newStatus: 'OK', details: nn, y: status };
  if (opts.has('reinit') && !a.str) {
    a.str = status;
    return { newStatus: 'OK', details: nn, y: status };
  }
  if (opts.has('empty_err') && !status) return { newStatus: 'ERR', details: details || 'Error, because empty value', y: status };
  if (opts.has('empty_ok') && !status) return { newStatus: 'OK', details: nn, y: status };
  if (opts.has('dynamic')) {
    a.str = status;
    return { newStatus: 'OK', details: nn, y: status };
  }
  return { newStatus: 'ERR', details: nn, y: status };
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
