// Preloaded (node --import) by failfast.test.mjs: the resolver's answers for names under
// `.invalid` without asking any DNS server. `*.gone.invalid` does not exist (ENOTFOUND, the
// resolver's final word); `*.later.invalid` is a temporary failure (EAI_AGAIN). Node's fetch
// resolves through dns.lookup, so the package meets exactly the errors a real resolver gives.
import dns from 'node:dns';

const real = dns.lookup;
dns.lookup = function lookup(host, ...rest) {
  const callback = rest[rest.length - 1];
  const code = /\.gone\.invalid$/.test(host) ? 'ENOTFOUND' : /\.later\.invalid$/.test(host) ? 'EAI_AGAIN' : null;
  if (!code) return real.call(this, host, ...rest);
  const e = Object.assign(new Error(`getaddrinfo ${code} ${host}`), { code, errno: code === 'ENOTFOUND' ? -3008 : -3001, syscall: 'getaddrinfo', hostname: host });
  process.nextTick(callback, e);
};
