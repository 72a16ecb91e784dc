// The check methods the server knows (protocol page, section 4), with their arguments and
// default values. `GET /api/checkmethods` answers this table; creating an indicator fills its
// args from the defaults, overridden by the args named in the method line.

const arg = (textname, desc, def = '') => ({ textname, desc, default: def });

const PATIENCE = arg('patience', "override policy 'patience'");
const SECRET = arg('secret', "override policy 'secret'");
const HTTP_OPTIONS = arg('Options: ssl_noverify addr=1.2.3.4', 'Options: ssl_noverify addr=1.2.3.4');
const DNS_HOST = arg('hostname or IP address', '', 'okerr.com');
const URL_ARG = arg('URL', 'URL', 'https://okerr.com/');

/** `CheckMethod.cmconf` of okerrui/models.py, texts and defaults as written there. */
export const CHECKMETHODS = {
  sslcert: {
    name: 'SSL Certificate check',
    remote: true,
    args: {
      host: arg('Hostname to check, e.g. www.okerr.com', 'no desc yet...', 'www.okerr.com'),
      port: arg('port', 'no desc yet...', '443'),
      days: arg('min days to expire', 'ERR will be set if cert expires sooner', '20'),
      options: HTTP_OPTIONS,
    },
  },
  string: {
    name: 'String',
    remote: false,
    args: {
      str: arg('str', 'string/text data'),
      patience: PATIENCE,
      secret: SECRET,
      options: arg('Options', 'text, dynamic, empty_ok, empty_err, reinit'),
    },
  },
  heartbeat: { name: 'Heartbeat', remote: false, args: { patience: PATIENCE, secret: SECRET } },
  numerical: {
    name: 'Numerical',
    remote: false,
    args: {
      current: arg('value', 'Current value'),
      patience: PATIENCE,
      secret: SECRET,
      minlim: arg('minlim', 'minimal limit'),
      maxlim: arg('maxlim', 'maximal limit'),
      diffmin: arg('diffmin', 'minimal difference'),
      diffmax: arg('diffmax', 'maximal difference'),
    },
  },
  logic: {
    name: 'Logical expression',
    remote: false,
    args: {
      expr: arg('Logical expression', 'Python-style logical expression', 'True'),
      dump: arg('Dump values of these variables', "comma-separate list, e.g. age['ERR:errage'], s['myindicator']"),
      init: arg('These variables (comma-separated) will be set to 0 initially. ', "comma-separate list, e.g. age['ERR:errage'], s['myindicator']"),
    },
  },
  ping: { name: 'Ping', remote: true, args: { host: arg('host', 'Remote host', '127.0.0.1') } },
  tcpport: {
    name: 'TCP Port',
    remote: true,
    args: {
      host: arg('host', 'Remote host', '127.0.0.1'),
      port: arg('port', 'TCP Port', '80'),
      substr: arg('Substring', 'Look for this substring in server banner'),
    },
  },
  sha1static: {
    remote: true,
    name: 'HTTP SHA1 hash static',
    args: { url: URL_ARG, hash: arg('hash', 'SHA1 hash'), options: HTTP_OPTIONS },
  },
  sha1dynamic: {
    name: 'HTTP SHA1 hash dynamic',
    remote: true,
    args: { url: URL_ARG, hash: arg('hash', 'SHA1 hash'), options: HTTP_OPTIONS },
  },
  httpstatus: {
    name: 'HTTP status code',
    remote: true,
    args: { url: URL_ARG, options: HTTP_OPTIONS, status: arg('status', 'HTTP status code', '200') },
  },
  httpgrep: {
    name: 'HTTP grep',
    remote: true,
    args: {
      url: URL_ARG,
      musthave: arg('must have', 'this text must present on page'),
      mustnothave: arg('must not have', 'this text must NOT present on page', 'Error'),
      options: HTTP_OPTIONS,
    },
  },
  whois: {
    name: 'WHOIS (domain expiration)',
    remote: true,
    args: { domain: arg('domain', 'domain name', 'okerr.com'), days: arg('days', 'ERR if will expire in less then DAYS', '30') },
  },
  dns: {
    name: 'DNS resolving',
    remote: true,
    args: {
      host: DNS_HOST,
      type: arg("DNS query type ('A', 'MX', ...) or 'reverse' or 'DNSBL dnsbl.example.com'", '', 'A'),
      options: arg('options', '', 'init dynamic'),
      value: arg("Current value. Set empty and 'init' in options to reinitialize", ''),
    },
  },
  dnsbl: {
    name: 'Antispam DNS Block List',
    remote: true,
    args: {
      host: DNS_HOST,
      skip: arg('skip these DNSBL zones (separated by comma and/or spaces). e.g.\nrbl.example.com rbl2.example.com', ''),
      extra: arg('add these DNSBL zones (separated by command and/or spaces) e.g.\nrbl.example.com rbl2.example.com', ''),
    },
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
 * Parses a method line `codename|arg=value|...` as `Indicator.update` does.
 * Returns `{ codename, args }` or `{ error }` with the exact server answer.
 * Empty parts are skipped (`if not e: continue`: `numerical||maxlim=5|` is taken); every other
 * part after the codename must split on `=` into exactly two pieces (`(k, v) = e.split('=')`),
 * so a part of spaces and `a=b=c` are a `bad cm line` like a part without `=`; names and
 * values are stripped.
 */
export function parseMethodLine(line) {
  const parts = line.split('|');
  const codename = parts.shift();
  const args = {};
  for (const part of parts) {
    if (!part) continue;
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
