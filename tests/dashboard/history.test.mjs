// What the page remembers of status changes it saw (www/history.js), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History } from '../../www/history.js';

/** A Storage stand-in: only getItem/setItem are used. */
function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), m };
}

test('a change between two pages becomes "was STATUS from .. to ..", with the server-given times', () => {
  const h = new History('s', memoryStorage());
  assert.deepEqual(h.observe([{ key: 'a', status: 'ERR', changedAge: 1800 }], 10000), []);
  assert.deepEqual(h.observe([{ key: 'a', status: 'OK', changedAge: 5 }], 10060), ['a']);
  assert.deepEqual(h.get('a').seen, [{ status: 'ERR', from: 8200, to: 10055 }]);
  assert.equal(h.watchingSince, 10000);
});

test('whole-second jitter is no change; a later change time with the same status is a change unseen', () => {
  const h = new History('s', memoryStorage());
  h.observe([{ key: 'a', status: 'OK', changedAge: 100 }], 1000);
  h.observe([{ key: 'a', status: 'OK', changedAge: 101 }], 1002);
  assert.deepEqual(h.get('a').seen, []);
  h.observe([{ key: 'a', status: 'OK', changedAge: 10 }], 1100);
  assert.deepEqual(h.get('a').seen, [{ status: null, from: 900, to: 1090 }]);
});

test('without the server\'s change time a status is known from when it was first seen', () => {
  const h = new History('s', memoryStorage());
  h.observe([{ key: 'a', status: 'OK', changedAge: null }], 500);
  h.observe([{ key: 'a', status: 'OK', changedAge: null }], 600);
  assert.equal(h.get('a').since, 500);
  h.observe([{ key: 'a', status: 'ERR', changedAge: null }], 700);
  assert.deepEqual(h.get('a').seen, [{ status: 'OK', from: null, to: 700 }]);
});

test('kept per scope across instances; broken or blocked storage costs only the history', () => {
  const st = memoryStorage();
  new History('p1', st).observe([{ key: 'a', status: 'ERR', changedAge: 0 }], 100);
  const again = new History('p1', st);
  assert.equal(again.get('a').status, 'ERR');
  assert.equal(new History('p2', st).get('a'), null);
  st.setItem('okerr-dashboard:history:p3', '{not json');
  assert.equal(new History('p3', st).get('a'), null);
  const throwing = { getItem() { throw new Error('blocked'); }, setItem() { throw new Error('full'); } };
  const h = new History('p4', throwing);
  assert.deepEqual(h.observe([{ key: 'a', status: 'OK', changedAge: 0 }], 1), []);
  assert.equal(h.get('a').status, 'OK');
});

test('names an object inherits (constructor, __proto__, toString, hasOwnProperty) are indicators like any other', () => {
  const st = memoryStorage();
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
  const h = new History('inherited', st);
  assert.deepEqual(h.observe(names.map((key) => ({ key, status: 'ERR', changedAge: 60 })), 1000), []);
  for (const key of names) assert.equal(h.get(key).status, 'ERR', key);
  assert.equal(h.get('isPrototypeOf'), null);
  assert.deepEqual(h.observe(names.map((key) => ({ key, status: 'OK', changedAge: 5 })), 1100), names);
  // Read back from storage by a page that reloads.
  const again = new History('inherited', st);
  for (const key of names) assert.deepEqual(again.get(key).seen, [{ status: 'ERR', from: 940, to: 1095 }], key);
  // A history saved as an object (as pages saved it before) is read with its own keys only.
  st.setItem('okerr-dashboard:history:old', JSON.stringify({ watchingSince: 1, items: { constructor: { status: 'OK', since: 5, exact: true, seen: [] } } }));
  const old = new History('old', st);
  assert.equal(old.get('constructor').status, 'OK');
  assert.equal(old.get('toString'), null);
});
