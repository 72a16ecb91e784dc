// The server's model: projects, policies, indicators, status pages. Plain data plus the few
// derived views the protocol exposes (flags, tags, the API's indicator JSON, the control API's
// state dump). Nothing here knows about HTTP.

import { argsFor, isPassive, parseMethodLine, CHECKMETHODS } from './checkmethods.mjs';
import { pyInt, pyIntParses, timeSuffixToSeconds } from './pyfmt.mjs';

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Minimum patience the server applies (okerr's `minpatience`). */
const MIN_PATIENCE = 300;

const DEFAULT_POLICIES = {
  Default: { period: 3600, patience: 1200 },
  Daily: { period: 86400, patience: 7200 },
};

/** The server's name rule (protocol page, section 2). */
export function validName(name) {
  if (pyIntParses(name)) return false;
  if (/[<>%\\@]/.test(name)) return false;
  return !(name.includes('//') || name.startsWith('/'));
}

/**
 * A tag is kept when it starts with `[a-zA-Z0-9_]`: the real `re.match('[a-zA-Z0-9_]+', tag)`
 * is anchored at the start only, so `b-c` and `e f` are kept and `-x`, `` are dropped.
 */
export function validTag(tag) {
  return /^[a-zA-Z0-9_]/.test(tag);
}

/**
 * `project.get_indicator(idname)`: a name Python's `int()` accepts is a database id (the
 * indicator with that id in this project), anything else a name.
 */
export function findIndicator(project, idname) {
  if (pyIntParses(idname)) {
    const id = pyInt(idname);
    for (const ind of project.indicators.values()) if (ind.id === id) return ind;
    return undefined;
  }
  return project.indicators.get(idname);
}

function toList(v) {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v.filter((x) => x !== '' && x != null).map(String) : [String(v)];
}

function normalizePolicy(name, spec = {}, id) {
  const base = DEFAULT_POLICIES[name] ?? DEFAULT_POLICIES.Default;
  return {
    id,
    name,
    secret: spec.secret ?? '',
    autocreate: spec.autocreate ?? true,
    httpUpdates: spec.httpUpdates ?? spec.httpupdate ?? true,
    smtpUpdates: spec.smtpUpdates ?? spec.smtpupdate ?? true,
    allowIps: spec.allowIps ?? spec.subnets ?? null, // null: the world ('0.0.0.0/0', '::/0')
    period: spec.period ?? base.period,
    patience: spec.patience ?? base.patience,
  };
}

export class Store {
  constructor() {
    this.projects = new Map();
    this.nextIndicatorId = 1;
    this.nextPolicyId = 1;
  }

  clear() {
    this.projects.clear();
  }

  getProject(textid) {
    return this.projects.get(textid);
  }

  /** Adds (or replaces) a project from a spec; see README for the spec's fields. */
  addProject(spec) {
    if (!spec || typeof spec.textid !== 'string' || !spec.textid) throw new Error('project spec needs a textid');
    if (spec.secrets !== undefined || spec.secret !== undefined) {
      throw new Error(`project ${spec.textid}: okerr has no project-wide secret; give the policy one: policies: { Default: { secret } }`);
    }
    const now = nowSeconds();
    const policies = {};
    const specPolicies = spec.policies ?? {};
    for (const name of new Set(['Default', 'Daily', ...Object.keys(specPolicies)])) {
      policies[name] = normalizePolicy(name, specPolicies[name], this.nextPolicyId++);
    }
    const project = {
      textid: spec.textid,
      name: spec.name ?? spec.textid,
      owner: spec.owner ?? `owner@${spec.textid}.example`,
      // The owner's password, for HTTP Basic on the API; none: Basic is always refused.
      ownerPassword: spec.ownerPassword ?? null,
      apiKeys: [...toList(spec.apiKey), ...toList(spec.apiKeys)],
      policies,
      maxIndicators: spec.maxIndicators ?? 100000,
      limited: Boolean(spec.limited),
      node: spec.node || undefined,
      statusPages: {},
      indicators: new Map(),
    };
    for (const [addr, page] of Object.entries(spec.statusPages ?? {})) {
      project.statusPages[addr] = normalizeStatusPage(addr, page);
    }
    for (const ispec of spec.indicators ?? []) this.seedIndicator(project, ispec, now);
    this.projects.set(project.textid, project);
    return project;
  }

  /** The policy an update refers to: named one, else Default, else the first one. */
  policyFor(project, name) {
    if (name != null && Object.hasOwn(project.policies, name)) return project.policies[name];
    return project.policies.Default ?? Object.values(project.policies)[0];
  }

  createIndicator(project, { name, codename = 'heartbeat', args = {}, methodLine, policy, desc = '', tags = [], now = nowSeconds() }) {
    const ind = {
      id: this.nextIndicatorId++,
      name,
      codename,
      args: argsFor(codename, args),
      methodLine: methodLine ?? codename,
      policy: policy ?? 'Default',
      status: 'OK',
      prevstatus: '',
      details: '',
      desc,
      tags: [...new Set(tags.filter(validTag))],
      location: '',
      disabled: false,
      silent: false,
      problem: false,
      error: null,
      maintenance: null,
      keypath: null,
      origkeypath: null,
      created: now,
      updated: now,
      changed: now,
      updateCount: 0,
      ignoredCount: 0,
      log: [],
    };
    project.indicators.set(name, ind);
    return ind;
  }

  seedIndicator(project, spec, now) {
    let codename = spec.checkmethod ?? 'heartbeat';
    let args = spec.args ?? {};
    if (spec.method) {
      const parsed = parseMethodLine(spec.method);
      if (parsed.error) throw new Error(`seed indicator ${spec.name}: ${parsed.error}`);
      codename = parsed.codename;
      args = { ...parsed.args, ...args };
    }
    if (!CHECKMETHODS[codename]) throw new Error(`seed indicator ${spec.name}: unknown method ${codename}`);
    const age = spec.age ?? 0;
    const ind = this.createIndicator(project, {
      name: spec.name,
      codename,
      args,
      methodLine: spec.method,
      policy: this.policyFor(project, spec.policy).name,
      desc: spec.desc ?? '',
      tags: spec.tags ?? [],
      now: now - (spec.createdAge ?? age),
    });
    Object.assign(ind, {
      status: spec.status ?? 'OK',
      details: spec.details ?? '',
      disabled: Boolean(spec.disabled),
      silent: Boolean(spec.silent),
      problem: Boolean(spec.problem || spec.error),
      error: spec.error ?? null,
      maintenance: spec.maintenance ? now : null,
      updated: now - age,
      changed: now - (spec.changedAge ?? age),
      keypath: spec.keypath ?? null,
      origkeypath: spec.origkeypath ?? null,
      log: (spec.log ?? []).map((e) => ({ t: e.t, y: String(e.y) })),
    });
    return ind;
  }

  deleteIndicator(project, ind) {
    return project.indicators.delete(ind.name);
  }

  /** Renames an indicator, keeping its place in the project's order. */
  renameIndicator(project, ind, name) {
    const entries = [...project.indicators.entries()].map(([k, v]) => (v === ind ? [name, v] : [k, v]));
    project.indicators = new Map(entries);
    ind.name = name;
  }
}

/**
 * A status page: its entries (`StatusIndicator` rows) in the order given, each with its own
 * title (default: the indicator name, as the real "add" form), desc (default ''), chapter,
 * weight (1000) and details flag (false, the real model's default).
 */
function normalizeStatusPage(addr, page = {}) {
  const items = [];
  for (const [chapter, list] of Object.entries(page.chapters ?? {})) {
    for (const it of list ?? []) {
      const o = typeof it === 'string' ? { name: it } : it;
      items.push({ name: o.name, chapter, title: o.title ?? o.name, desc: o.desc ?? '', details: Boolean(o.details), weight: o.weight ?? 1000 });
    }
  }
  return {
    addr,
    title: page.title ?? addr,
    desc: page.desc ?? '',
    public: page.public ?? true,
    items,
    blog: (page.blog ?? []).map((b) => ({ created: b.created ?? nowSeconds(), text: b.text ?? String(b) })),
  };
}

// ---- derived views ---------------------------------------------------------------------------

export function policyPeriod(policy) {
  return timeSuffixToSeconds(policy.period) ?? 3600;
}

export function patience(ind, policy) {
  const p = timeSuffixToSeconds(ind.args.patience) ?? timeSuffixToSeconds(policy.patience) ?? 1200;
  return Math.max(p, MIN_PATIENCE);
}

export function schedule(ind, policy) {
  const period = policyPeriod(policy);
  if (isPassive(ind.codename)) {
    return { expected: ind.updated + period, scheduled: ind.updated + period + patience(ind, policy) };
  }
  return { expected: null, scheduled: ind.updated + period };
}

/** okerr's flags: disabled|OK|ERR, pending, maintenance, silent, problem. */
export function flags(ind, policy, now = nowSeconds()) {
  const out = [ind.disabled ? 'disabled' : ind.status === 'OK' ? 'OK' : 'ERR'];
  const { expected, scheduled } = schedule(ind, policy);
  if (isPassive(ind.codename) ? expected !== null && now > expected : now > scheduled + 60) out.push('pending');
  if (ind.maintenance) out.push('maintenance');
  if (ind.silent) out.push('silent');
  if (ind.problem) out.push('problem');
  return out;
}

/** Everything `filter`/`tagfilter` match against: flags, method, kind, policy and user tags. */
export function allTags(ind, policy, now = nowSeconds()) {
  const tags = flags(ind, policy, now);
  tags.push(ind.codename, isPassive(ind.codename) ? 'passive' : 'active');
  if (tags.includes('problem') || tags.includes('maintenance') || (tags.includes('ERR') && !tags.includes('silent'))) {
    tags.push('ATTENTION');
  }
  tags.push(`policy:${ind.policy}`);
  tags.push(...ind.tags);
  return tags;
}

/** `str(indicator)` on the real server: `name@textid (STATUS)`. */
export function indicatorStr(ind, project) {
  return `${ind.name}@${project.textid} (${ind.status})`;
}

/** `repr(indicator)`, Django's model repr: `<Indicator: name@textid (STATUS)>`. */
export function indicatorRepr(ind, project) {
  return `<Indicator: ${indicatorStr(ind, project)}>`;
}

/**
 * The object `GET /api/indicator/...` answers: `Indicator.fullDataStruct()` plus the view's
 * `policyname`, `policyperiod` and `checkmethod`, and nothing else (no `created`, `error`,
 * `keypath`, `origkeypath`).
 */
export function indicatorApiJson(ind, project, now = nowSeconds()) {
  const policy = project.policies[ind.policy];
  const { expected, scheduled } = schedule(ind, policy);
  const okOrSilent = ind.status === 'OK' || ind.silent;
  const statusage = now - ind.changed;
  return {
    id: ind.id,
    name: ind.name,
    status: ind.status,
    desc: ind.desc,
    details: ind.details,
    disabled: ind.disabled,
    silent: ind.silent,
    problem: ind.problem,
    policy: policy.id,
    policyname: policy.name,
    policyperiod: String(policy.period),
    checkmethod: ind.codename,
    location: ind.location,
    scheduled,
    expected,
    changed: ind.changed,
    updated: ind.updated,
    maintenance: ind.maintenance,
    flags: flags(ind, policy, now),
    tags: allTags(ind, policy, now),
    errage: okOrSilent ? 0 : statusage,
    uerrage: okOrSilent || ind.maintenance ? 0 : statusage,
    age: now - ind.updated,
    statusage,
    patience: patience(ind, policy),
    args: { ...ind.args },
  };
}

/** The control API's view of an indicator (everything, plainly). */
export function indicatorState(ind) {
  return {
    id: ind.id,
    name: ind.name,
    status: ind.status,
    prevstatus: ind.prevstatus,
    details: ind.details,
    checkmethod: ind.codename,
    methodLine: ind.methodLine,
    args: { ...ind.args },
    policy: ind.policy,
    tags: [...ind.tags],
    desc: ind.desc,
    disabled: ind.disabled,
    silent: ind.silent,
    problem: ind.problem,
    error: ind.error,
    maintenance: ind.maintenance,
    keypath: ind.keypath,
    origkeypath: ind.origkeypath,
    created: ind.created,
    updated: ind.updated,
    changed: ind.changed,
    updateCount: ind.updateCount,
    ignoredCount: ind.ignoredCount,
    log: ind.log.map((e) => ({ t: e.t, y: e.y })),
  };
}

export function projectState(project) {
  return {
    textid: project.textid,
    name: project.name,
    owner: project.owner,
    apiKey: project.apiKeys[0],
    apiKeys: [...project.apiKeys],
    policies: structuredClone(project.policies),
    maxIndicators: project.maxIndicators,
    limited: project.limited,
    node: project.node,
    statusPages: structuredClone(project.statusPages),
    indicators: [...project.indicators.values()].map(indicatorState),
  };
}
