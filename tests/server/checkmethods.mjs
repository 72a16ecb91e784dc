// The check methods the server knows (protocol page, section 4), with their arguments and
// default values. `GET /api/checkmethods` answers this table; creating an indicator fills its
// args from the defaults, overridden by the args named in the method line.

const arg = (textname, def = '', desc = '') => ({ textname, desc, default: def });

const PATIENCE = arg('patience', '', "overrides the policy's patience");
const SECRET = arg('secret', '', "overrides the policy's secret");
const HTTP_OPTIONS = arg('options', '', 'ssl_noverify addr=1.2.3.4');

export const CHECKMETHODS = {
  heartbeat: { name: 'Heartbeat', remote: false, args: { patience: PATIENCE, secret: SECRET } },
  numerical: {
    name: 'Numerical',
    remote: false,
    args: {
      current: arg('value', '', 'last value received'),
      patience: PATIENCE,
      secret: SECRET,
      minlim: arg('minlim', '', 'ERR below this value'),
      maxlim: arg('maxlim', '', 'ERR above this value'),
      diffmin: arg('diffmin', '', 'ERR when the change is below this (absolute or %)'),
      diffmax: arg('diffmax', '', 'ERR when the change is above this (absolute or %)'),
    },
  },
  string: {
    name: 'String',
    remote: false,
    args: {
      str: arg('str', '', 'expected string'),
      patience: PATIENCE,
      secret: SECRET,
      options: arg('Options', '', 'text, dynamic, empty_ok, empty_err, reinit'),
    },
  },
  sslcert: {
    name: 'SSL Certificate check',
    remote: true,
    args: {
      host: arg('host', 'www.okerr.com'),
      port: arg('port', '443'),
      days: arg('min days to expire', '20'),
      options: HTTP_OPTIONS,
    },
  },
  logic: {
    name: 'Logical expression',
    remote: false,
    args: { expr: arg('expression', 'True'), dump: arg('dump variables'), init: arg('init variables') },
  },
  ping: { name: 'Ping', remote: true, args: { host: arg('host', '127.0.0.1') } },
  tcpport: {
    name: 'TCP Port',
    remote: true,
    args: { host: arg('host', '127.0.0.1'), port: arg('port', '80'), substr: arg('banner substring') },
  },
  httpstatus: {
    name: 'HTTP status code',
    remote: true,
    args: { url: arg('URL', 'https://okerr.com/'), options: HTTP_OPTIONS, status: arg('status', '200') },
  },
  httpgrep: {
    name: 'HTTP grep',
    remote: true,
    args: {
      url: arg('URL', 'https://okerr.com/'),
      musthave: arg('must have'),
      mustnothave: arg('must not have', 'Error'),
      options: HTTP_OPTIONS,
    },
  },
  sha1static: {
    name: 'HTTP SHA1 hash static',
    remote: true,
    args: { url: arg('URL', 'https://okerr.com/'), hash: arg('hash'), options: HTTP_OPTIONS },
  },
  sha1dynamic: {
    name: 'HTTP SHA1 hash dynamic',
    remote: true,
    args: { url: arg('URL', 'https://okerr.com/'), hash: arg('hash'), options: HTTP_OPTIONS },
  },
  whois: { name: 'WHOIS (domain expiration)', remote: true, args: { domain: arg('domain', 'okerr.com'), days: arg('days', '30') } },
  dns: {
    name: 'DNS resolving',
    remote: true,
    args: {
      host: arg('host', 'okerr.com'),
      type: arg('query type', 'A'),
      options: arg('options', 'init dynamic'),
      value: arg('current value'),
    },
  },
  dnsbl: {
    name: 'Antispam DNS Block List',
    remote: true,
    args: { host: arg('host', 'okerr.com'), skip: arg('skip zones'), extra: arg('extra zones') },
  },
};

/** Methods that accept pushed updates; every other method is an active check. */
export const PASSIVE = new Set(['heartbeat', 'numerical', 'string']);

export function isPassive(codename) {
  return PASSIVE.has(codename);
}

/** Default args of a method, as strings. */
export function defaultArgs(codename) {
  const out = {};
  for (const [k, a] of Object.entries(CHECKMETHODS[codename]?.args ?? {})) out[k] = a.default;
  return out;
}

/** The server stores args as stripped strings (okerr's `fixarg`). */
export function fixArg(value) {
  return String(value ?? '').replace(/\r\n/g, '\n').replace(/^[\r\n\t ]+|[\r\n\t ]+$/g, '');
}

/**
 * Parses a method line `codename|arg=value|...`.
 * Returns `{ codename, args }` or `{ error }` with the exact server answer.
 * Empty parts are ignored (protocol page); a part must split on `=` into exactly two pieces,
 * as the real server's `k, v = part.split('=')` demands (so `a=b=c` is refused too).
 */
export function parseMethodLine(line) {
  const parts = line.split('|');
  const codename = parts.shift();
  const args = {};
  for (const part of parts) {
    if (part.trim() === '') continue;
    const kv = part.split('=');
    if (kv.length !== 2) return { error: `bad cm line'${line}'` };
    args[kv[0].trim()] = kv[1].trim();
  }
  if (!Object.hasOwn(CHECKMETHODS, codename)) return { error: `Unknown checkname with codename '${codename}'` };
  return { codename, args };
}

/** Args for a new indicator: the method's defaults, overridden by known args from the line. */
export function argsFor(codename, given = {}) {
  const args = defaultArgs(codename);
  for (const k of Object.keys(args)) if (Object.hasOwn(given, k)) args[k] = fixArg(given[k]);
  return args;
}
