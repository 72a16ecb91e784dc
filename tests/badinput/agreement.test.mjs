// The client's checks against the server's own rules, on seeded random input through the
// installed package: a name, method line or numerical status the client lets through is one
// the server takes, and one it refuses is one the server refuses too (or breaks one of the
// client's few stricter, documented rules: control characters, over 200 characters, blank).
// Python itself is the oracle for float(); the test server's rules for names and method lines.
// Form bodies are checked byte for byte against Python's urlencode and read back with
// URLSearchParams.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { OkerrError, OkerrProject } from 'okerrupdate';
import { parseMethodLine } from '../server/checkmethods.mjs';
import { mulberry32 } from '../server/faults.mjs';
import { validName } from '../server/state.mjs';

const rand = mulberry32(20240606);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const POOLS = {
  ascii: [...'abcxyzABZ_-.:'],
  digits: [...'0123456789'],
  signs: [...'+-_'],
  special: [...'<>%\\@/|=,#&?*~\'"'],
  space: [' ', ' ', '\t', '\u3000', '\u00a0', '\u2009'],
  udigits: [...'٠١٢٣٤٥٦٧٨٩', ...'０１２９', '𝟎', '𝟗', '०', '৩'],
  control: ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u001c', '\n', '\r'],
  wide: ['é', 'ß', 'Ж', '中', '😀', '\u200b', '\ud800', 'e', 'E', 'inf', 'nan', '.'],
};

function randomText(weights, maxLen = 10) {
  const names = Object.keys(weights);
  const total = names.reduce((n, k) => n + weights[k], 0);
  let out = '';
  const len = Math.floor(rand() * (maxLen + 1));
  for (let i = 0; i < len; i++) {
    let r = rand() * total;
    let pool = names[0];
    for (const k of names) {
      r -= weights[k];
      if (r <= 0) {
        pool = k;
        break;
      }
    }
    out += pick(POOLS[pool]);
  }
  return out;
}

// What the client refuses on a line of its own accord: controls, line and paragraph
// separators, bidi controls (a name or line holding them could forge a log line).
const hasControl = (s) => /[\p{Cc}\u2028-\u202E\u2066-\u2069]/u.test(s);
const project = () => new OkerrProject({ textid: 't', url: 'http://127.0.0.1:9/', dryRun: true, logLevel: 'silent' });

/** What the client says: null when accepted, else the OkerrError. */
function verdict(fn) {
  try {
    fn();
    return null;
  } catch (e) {
    assert.ok(e instanceof OkerrError && e.code === 'INVALID_ARGUMENT', `not an OkerrError: ${e}`);
    return e;
  }
}

/** Python's answer for each input of a batch (one interpreter for all of them). */
function python(script, inputs) {
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(inputs), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('the client refuses what the server refuses, and only that', () => {
  it('indicator names (3000 seeded random names)', () => {
    const p = project();
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const name = i % 3 === 0
        ? randomText({ digits: 6, signs: 1, space: 1, udigits: 3 }, 6)
        : randomText({ ascii: 4, digits: 2, special: 2, space: 1, udigits: 1, control: 0.3, wide: 1 }, 12);
      const sent = name.toWellFormed();
      const e = verdict(() => p.indicator(name));
      // A lone surrogate cannot be sent as UTF-8: the client refuses it rather than send U+FFFD.
      if (!name.isWellFormed()) assert.notEqual(e, null, `the client accepted ${JSON.stringify(name)}, which holds a lone surrogate`);
      if (e === null) {
        accepted++;
        const repaired = p.indicator(name).name;
        assert.ok(validName(repaired), `the client accepted ${JSON.stringify(name)} as ${JSON.stringify(repaired)}, which the server refuses`);
        assert.equal(p.indicator(repaired).name, repaired, `repairing ${JSON.stringify(repaired)} again changed it`);
      } else {
        const stricter = !name.isWellFormed() || hasControl(sent) || [...sent].length > 200 || sent.trim() === '';
        const repairedByReference = sent.replace(/[<>%\\@]/g, '_').replace(/\/\//g, '__').replace(/^\//, '_');
        assert.ok(stricter || !validName(repairedByReference), `the client refused ${JSON.stringify(name)} (${e.message}), which the server takes`);
      }
    }
    assert.ok(accepted > 500, `only ${accepted} accepted: the generator is too narrow`);
  });

  it('method lines (3000 seeded random lines)', () => {
    const p = project();
    const codenames = ['heartbeat', 'numerical', 'string', 'sslcert', ' numerical', 'numerical ', 'Numerical', '', 'bogus'];
    for (let i = 0; i < 3000; i++) {
      let line = pick(codenames);
      const parts = Math.floor(rand() * 4);
      for (let k = 0; k < parts; k++) line += `|${randomText({ ascii: 4, special: 1, space: 1, control: 0.2 }, 6)}`;
      const e = verdict(() => p.indicator('m', { method: line }));
      const server = parseMethodLine(line);
      if (e === null) assert.equal(server.error, undefined, `the client accepted ${JSON.stringify(line)}; the server says ${server.error}`);
      else assert.ok(server.error || hasControl(line), `the client refused ${JSON.stringify(line)} (${e.message}), which the server takes`);
    }
  });

  it('numerical statuses (4000 seeded random strings, Python float() as the oracle)', async () => {
    const inputs = [];
    for (let i = 0; i < 4000; i++) {
      inputs.push(i % 2
        ? randomText({ digits: 5, signs: 1, space: 1, udigits: 2, wide: 1.5 }, 7)
        : randomText({ digits: 3, ascii: 1, space: 1, control: 0.5, udigits: 1 }, 6).toWellFormed());
    }
    const wellFormed = inputs.map((s) => s.toWellFormed());
    const oracle = python(
      'import sys, json\n' +
      'def ok(s):\n' +
      '    try:\n        float(s)\n        return True\n' +
      '    except (ValueError, OverflowError):\n        return False\n' +
      'print(json.dumps([ok(s) for s in json.load(sys.stdin)]))',
      wellFormed,
    );
    const p = new OkerrProject({ textid: 't', url: 'http://127.0.0.1:9/', dryRun: true, logLevel: 'silent' });
    const num = p.indicator('n', { method: 'numerical' });
    const disagree = [];
    for (let i = 0; i < inputs.length; i++) {
      let refused = false;
      try {
        await num.update(inputs[i]);
      } catch (e) {
        assert.ok(e instanceof OkerrError && e.code === 'INVALID_ARGUMENT', String(e));
        refused = true;
      }
      const takes = oracle[i] && inputs[i].isWellFormed();
      if (refused === takes) disagree.push(`${JSON.stringify(inputs[i])}: client ${refused ? 'refuses' : 'accepts'}, Python ${takes ? 'accepts' : 'refuses'} (a lone surrogate is always refused)`);
    }
    assert.deepEqual(disagree.slice(0, 10), []);
  });

  it('form bodies: byte for byte as Python urlencode, and URLSearchParams reads back every field (1000 seeded updates)', async () => {
    const bodies = [];
    const fetchCapture = async (url, init) => {
      bodies.push(init.body);
      return new Response('OK');
    };
    const p = new OkerrProject({ textid: 'T é&=+', url: 'http://127.0.0.1:9/', direct: true, throttleSeconds: 0, logLevel: 'silent', fetch: fetchCapture, x: { note: 'a b&c' } });
    const cases = [];
    for (let i = 0; i < 1000; i++) {
      const status = randomText({ ascii: 3, digits: 1, special: 3, space: 2, udigits: 1, control: 1, wide: 2 }, 16);
      const details = i % 4 ? randomText({ ascii: 2, special: 2, space: 1, wide: 2, control: 1 }, 24) : undefined;
      const ind = p.indicator(`s${i % 7}`, { method: 'string', desc: i % 5 ? '' : 'd/é', tags: ['a', 'b'] });
      if (!status.isWellFormed() || (details !== undefined && !details.isWellFormed())) {
        await assert.rejects(ind.update(status, details), (e) => e.code === 'INVALID_ARGUMENT', 'a lone surrogate is refused, not sent as U+FFFD');
        continue;
      }
      const r = await ind.update(status, details);
      assert.equal(r.sent, true);
      cases.push({ status, details, name: `s${i % 7}`, desc: i % 5 ? '' : 'd/é' });
    }
    assert.equal(bodies.length, cases.length);
    const fieldLists = cases.map((c) => {
      const f = [['textid', 'T é&=+'], ['name', c.name], ['status', c.status]];
      if (c.details !== undefined) f.push(['details', c.details]);
      f.push(['method', 'string'], ['tags', 'a,b'], ['keypath', ''], ['origkeypath', ''], ['desc', c.desc], ['x_note', 'a b&c']);
      return f;
    });
    const python_ = python('import sys, json\nfrom urllib.parse import urlencode\nprint(json.dumps([urlencode([tuple(kv) for kv in f]) for f in json.load(sys.stdin)]))', fieldLists);
    for (let i = 0; i < cases.length; i++) {
      assert.equal(bodies[i], python_[i], `body ${i} differs from Python's urlencode`);
      assert.deepEqual([...new URLSearchParams(bodies[i])], fieldLists[i], `URLSearchParams reads body ${i} back differently`);
    }
  });
});
