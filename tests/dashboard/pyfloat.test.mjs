// The dashboard reads update-log values (`y`, the raw text an update sent) as Python's float()
// does: checked against python3 itself on the spellings a hostile or sloppy sender might use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { logPoints, logTime, pyFloat } from '../../www/pyfloat.js';

const CASES = [
  ' 7 ', '1e3', 'nan', 'NaN', '-inf', '+Infinity', '1_000', '1__0', '_1', '1_', '.5', '5.', '.', '', '  ', '\ufeff7',
  '\x1c7', '7\x85', '\u00a0 42\u3000', '٣', '١٢٣', '1.e5', '0x10', '1e1000', '-1e-400', '+3.25', 'abc', '1,5', '1 000',
  '1_0.0_1e1_0', '٣.٥', '1e', 'e1', '--1', '0', '-0.0', '12\n', '\t-8.5\r\n',
];

test('pyFloat agrees with Python float() on every case (finite values; null where float() fails or is inf/nan)', () => {
  const script = 'import json,math,sys\nout=[]\nfor s in json.load(sys.stdin):\n  try:\n    v=float(s); out.append(v if math.isfinite(v) else None)\n  except ValueError: out.append(None)\nprint(json.dumps(out))';
  const want = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(CASES) }).toString());
  assert.deepEqual(CASES.map(pyFloat), want);
});

test('numbers are taken as they are; anything else is no value', () => {
  assert.equal(pyFloat(42.5), 42.5);
  assert.equal(pyFloat(Number.NaN), null);
  for (const v of [null, undefined, true, {}, [], ['1']]) assert.equal(pyFloat(v), null);
});

test('log times: the server writes Unix seconds (an older view wrote UTC "YYYY-MM-DD HH:MM:SS"); points come oldest first without what does not parse', () => {
  assert.equal(logTime(1700000000), 1700000000);
  assert.ok(Number.isNaN(logTime(Infinity)));
  assert.equal(logTime('2026-11-30 01:00:00'), Date.UTC(2026, 10, 30, 1) / 1000);
  assert.ok(Number.isNaN(logTime('yesterday')));
  const at = (minute) => Date.UTC(2026, 10, 30, 1, minute) / 1000;
  const log = [
    { t: at(2), y: ' 7 ' },
    { t: '2026-11-30 01:00:00', y: '1e3' },
    { t: at(1), y: 'nan' },
    { t: 'garbage', y: '5' },
    { t: Number.NaN, y: '5' },
    { y: '5' },
    null,
    { t: at(3), y: 'oops' },
  ];
  assert.deepEqual(logPoints(log), [
    { t: Date.UTC(2026, 10, 30, 1, 0) / 1000, y: 1000 },
    { t: Date.UTC(2026, 10, 30, 1, 2) / 1000, y: 7 },
  ]);
  assert.deepEqual(logPoints('not a list'), []);
});
