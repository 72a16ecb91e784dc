// The board in each state an operator meets (all OK, some ERR, stale, server down, server error,
// no chapters), the wall view at 1920×1080 and 3840×2160, phones, light and dark; axe-core on
// every view. Screenshots go to tests/out/dashboard/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDashboard } from '../../scripts/dashboard.mjs';
import { startOkerrServer } from '../server/okerr-server.mjs';
import { CHROMIUM } from '../chromium.mjs';
import { assertAccessible, assertHeadingsInOrder, installed, luminance, recordLiveRegion, shots, shownItems, signals } from './browser.mjs';

const WALL = { width: 1920, height: 1080 };
const WALL_4K = { width: 3840, height: 2160 };
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

const ok = (name, more = {}) => ({ name, status: 'OK', details: 'fine', age: 60, changedAge: 86400 * 3, ...more });
const ALL_OK = {
  textid: 'allok',
  policies: { Default: { secret: 's' } },
  indicators: ['web1', 'web2', 'db1', 'mail', 'dns', 'backup'].map((n) => ok(`srv:${n}`)),
  statusPages: {
    index: {
      title: 'Shop status',
      desc: 'Everything customers touch',
      public: true,
      chapters: {
        Web: [{ name: 'srv:web1', title: 'Web front 1', details: true }, { name: 'srv:web2', title: 'Web front 2', details: true }],
        Data: [{ name: 'srv:db1', title: 'Orders database', details: true }, { name: 'srv:backup', title: 'Backups' }],
        Mail: [{ name: 'srv:mail', title: 'Mail relay', details: true }, { name: 'srv:dns', title: 'DNS' }],
      },
    },
  },
};
const NO_CHAPTERS = { textid: 'empty', policies: { Default: { secret: 's' } }, statusPages: { index: { title: 'Nothing here yet', public: true, chapters: {} } } };
const BIG = {
  textid: 'big',
  policies: { Default: { secret: 's' } },
  indicators: [
    ...['web1', 'web2', 'web3', 'web4', 'db2', 'cache', 'queue', 'cdn'].map((n) => ok(`srv:${n}`)),
    { name: 'srv:db1', status: 'ERR', details: 'no heartbeat for 12 min', age: 720, changedAge: 720 },
    { name: 'srv:pay', status: 'ERR', details: 'HTTP 502 from the gateway', age: 30, changedAge: 300 },
    ok('srv:backup', { age: 30000, details: 'backup 2.1 GB done' }),
  ],
  statusPages: {
    index: {
      title: 'Operations wall',
      public: true,
      chapters: {
        Frontends: ['web1', 'web2', 'web3', 'web4', 'cdn'].map((n) => ({ name: `srv:${n}`, title: `Web ${n}`, details: true })),
        Data: [
          { name: 'srv:db1', title: 'Orders database', details: true },
          { name: 'srv:db2', title: 'Reports database', details: true },
          { name: 'srv:cache', title: 'Cache', details: true },
          { name: 'srv:backup', title: 'Nightly backup', details: true },
        ],
        Payments: [
          { name: 'srv:pay', title: 'Payment gateway (Europe, primary)', details: true },
          { name: 'srv:queue', title: 'Payment queue', details: true },
        ],
      },
    },
  },
};

let srv;
let browser;
let profile;

before(async () => {
  srv = await startDashboard({ pkgDir: installed, projects: [ALL_OK, NO_CHAPTERS, BIG] });
  profile = mkdtempSync(join(tmpdir(), 'okerr-dashboard-states-'));
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  await srv?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A fresh page (its own storage) at `viewport` in `scheme`, with page errors collected. */
async function newPage(viewport, scheme = 'light') {
  const context = await browser.newContext({ viewport, colorScheme: scheme });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

async function openBoard(page, query, server = srv) {
  await page.goto(server.url + query);
  await page.locator('#board .row, #board .tile, #board .empty:not(:empty)').first().waitFor();
  await page.waitForFunction(() => document.querySelector('#board').dataset.state !== 'none');
}

/** Where the tiles are: the union of their boxes, the title font size, what can take input. */
function wallLayout(page) {
  return page.evaluate(() => {
    const tiles = [...document.querySelectorAll('.tile')].map((t) => t.getBoundingClientRect());
    return {
      left: Math.min(...tiles.map((b) => b.left)),
      right: Math.max(...tiles.map((b) => b.right)),
      scrollWidth: document.documentElement.scrollWidth,
      scrollHeight: document.documentElement.scrollHeight,
      titlePx: Math.min(...[...document.querySelectorAll('.tile-title')].map((e) => parseFloat(getComputedStyle(e).fontSize))),
      controls: document.querySelectorAll('input, select, textarea, button, form, details, [tabindex], a[href]:not(.brand)').length,
      bodyBg: getComputedStyle(document.body).backgroundColor,
    };
  });
}

async function shoot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

describe('dashboard states', () => {
  test('all OK: a green banner, favicon and title, on a desktop and on the wall', async () => {
    const page = await newPage(DESKTOP);
    await openBoard(page, '?textid=allok');
    const s = await signals(page);
    assert.equal(s.summary, 'All 6 indicators OK');
    assert.equal(s.title, 'Shop status · okerr');
    assert.equal(s.favicon, 'ok');
    assert.equal(s.state, 'ok');
    assert.ok((await shownItems(page)).every((r) => r.cls === 'ok' && r.kind === 'ok'));
    await assertAccessible(page, 'desktop all OK');
    await assertHeadingsInOrder(page, 'desktop all OK');
    await shoot(page, 'desktop-all-ok');

    const wall = await newPage(WALL);
    await openBoard(wall, '?textid=allok&view=wall');
    assert.equal((await signals(wall)).title, 'Shop status · okerr');
    await assertAccessible(wall, 'wall all OK');
    await shoot(wall, 'wall-1920-all-ok');
    assert.deepEqual([...page.errors, ...wall.errors], []);
  });

  for (const [label, viewport, minTitlePx] of [
    ['1920×1080', WALL, 28],
    ['3840×2160', WALL_4K, 56],
  ]) {
    test(`wall at ${label}: ERR first, then stale, then OK; the whole width; big names; dark; nothing to click or type`, async () => {
      const page = await newPage(viewport, 'light');
      // stale=6h: the backup, OK but not updated for 8 h 20 min, is stale.
      await openBoard(page, '?textid=big&view=wall&stale=6h');
      const items = await shownItems(page);
      assert.equal(items.length, 11);
      assert.deepEqual(
        items.map((i) => i.kind),
        ['err', 'err', 'stale', ...Array(8).fill('ok')],
      );
      assert.deepEqual(
        items.slice(0, 3).map((i) => i.title),
        ['Orders database', 'Payment gateway (Europe, primary)', 'Nightly backup'],
      );
      assert.match(items[0].changed, /^ERR for 12 min$/);
      const layout = await wallLayout(page);
      const rem = viewport.width * 0.0115;
      assert.ok(layout.left <= 2 * rem && layout.right >= viewport.width - 2 * rem, JSON.stringify(layout));
      assert.ok(layout.scrollWidth <= viewport.width, JSON.stringify(layout));
      assert.ok(layout.scrollHeight <= viewport.height, `everything on one screen: ${JSON.stringify(layout)}`);
      assert.ok(layout.titlePx >= minTitlePx, `titles are ${layout.titlePx}px`);
      assert.equal(layout.controls, 0, 'the wall has nothing to click or type into');
      // Dark though the system asks for light: a wall is dark unless the address says otherwise.
      assert.ok(luminance(layout.bodyBg) < 0.05, layout.bodyBg);
      const s = await signals(page);
      assert.equal(s.title, '(3) Operations wall · okerr');
      assert.equal(s.favicon, 'err');
      assert.equal(s.sub, '2 ERR, 1 stale or unknown');
      await assertAccessible(page, `wall ${label}`);
      await assertHeadingsInOrder(page, `wall ${label}`);
      await page.screenshot({ path: join(shots, `wall-${viewport.width}.png`) });

      await page.goto(`${srv.url}?textid=big&view=wall&stale=6h&theme=light`);
      await page.locator('.tile').first().waitFor();
      assert.ok(luminance((await wallLayout(page)).bodyBg) > 0.8);
      await assertAccessible(page, `wall ${label} light`);
      await page.screenshot({ path: join(shots, `wall-${viewport.width}-light.png`) });
      assert.deepEqual(page.errors, []);
    });
  }

  test('server down: the first failed refresh changes the title, favicon and banner, and says since when', async () => {
    const doomed = await startDashboard({ pkgDir: installed });
    const page = await newPage(WALL, 'dark');
    const desk = await newPage(DESKTOP, 'light');
    try {
      const events = [];
      page.on('request', (r) => r.url().includes('/jstatus/') && events.push('request'));
      page.on('requestfailed', (r) => r.url().includes('/jstatus/') && events.push('failed'));
      await page.exposeFunction('titleChanged', (t) => events.push(`title ${t}`));
      await openBoard(page, '?textid=demo&view=wall&refresh=3', doomed);
      await page.evaluate(() =>
        new MutationObserver(() => window.titleChanged(document.title)).observe(document.querySelector('title'), { childList: true, characterData: true, subtree: true }),
      );
      await openBoard(desk, '?textid=demo&refresh=3', doomed);
      await recordLiveRegion(page);
      const before = await shownItems(page);

      await doomed.close();
      const from = events.length;
      await page.waitForFunction(() => document.title.startsWith('(unreachable) '), null, { timeout: 20000 });
      // The title changed right after the first request that failed: no retry, no second refresh.
      const seen = events.slice(from);
      const firstFail = seen.indexOf('failed');
      const titleAt = seen.findIndex((e) => e.startsWith('title (unreachable)'));
      assert.ok(firstFail >= 0 && titleAt > firstFail, seen.join(', '));
      assert.ok(!seen.slice(firstFail + 1, titleAt).includes('request'), `a second request before the title changed: ${seen.join(', ')}`);

      const s = await signals(page);
      assert.equal(s.title, '(unreachable) Demo services status · okerr');
      assert.equal(s.favicon, 'down');
      assert.equal(s.state, 'down');
      assert.match(s.summary, /^Server unreachable since \d\d:\d\d:\d\d$/);
      assert.match(s.sub, /^Showing the last state received, at \d\d:\d\d:\d\d \(\d+ s ago\): not current\.$/);
      assert.deepEqual(await page.evaluate(() => window.__said), [`${s.summary}.`]);
      // The last rows stay, marked as last known, not as current.
      const after = await shownItems(page);
      assert.deepEqual(
        after.map((i) => i.title),
        before.map((i) => i.title),
      );
      assert.ok(after.every((i) => i.colour === 'rgba(0, 0, 0, 0)'), 'no status colour on data that is not current');
      assert.ok(after.every((i) => i.changed.endsWith('(last known)')), after.map((i) => i.changed).join(', '));
      await assertAccessible(page, 'wall, server down');
      await page.screenshot({ path: join(shots, 'wall-1920-server-down.png') });

      await desk.waitForFunction(() => document.title.startsWith('(unreachable) '), null, { timeout: 20000 });
      assert.equal(await desk.locator('#board.is-stale').count(), 1);
      assert.equal(await desk.locator('#board [data-testid=error-code]').textContent(), 'NETWORK');
      await assertAccessible(desk, 'desktop, server down');
      await shoot(desk, 'desktop-server-down');
      assert.deepEqual([...page.errors, ...desk.errors], []);
    } finally {
      await page.context().close();
      await desk.context().close();
      await doomed.close().catch(() => {});
    }
  });

  test('stale data: a server that stops answering, then fails, then comes back', async () => {
    srv.reset();
    for (const scheme of ['light', 'dark']) {
      const page = await newPage(DESKTOP, scheme);
      await openBoard(page, '?textid=demo&refresh=3');
      await recordLiveRegion(page);
      // No answer at all: the board's own 1.5 s timeout, no retry.
      srv.addFault({ path: '/jstatus/', kind: 'hang', times: -1 });
      await page.waitForFunction(() => document.title.startsWith('(unreachable) '), null, { timeout: 20000 });
      assert.equal(await page.locator('#board [data-testid=error-code]').textContent(), 'TIMEOUT');
      assert.equal(await page.locator('#board .row').count(), 6);
      assert.match((await signals(page)).sub, /not current/);
      await assertAccessible(page, `stale (${scheme})`);
      await shoot(page, `desktop-stale-${scheme}`);

      // It answers again, with a server error: reachable, still no current data.
      srv.clearFaults();
      srv.addFault({ path: '/jstatus/', kind: 'status', status: 500, times: -1 });
      await page.waitForFunction(() => document.title.startsWith('(error) '), null, { timeout: 20000 });
      assert.match((await signals(page)).summary, /^Server error since \d\d:\d\d:\d\d$/);
      assert.equal(await page.locator('#board [data-testid=error-status]').textContent(), 'HTTP 500');

      srv.clearFaults();
      await page.waitForFunction(() => document.title === '(2) Demo services status · okerr', null, { timeout: 20000 });
      const s = await signals(page);
      assert.equal(s.favicon, 'err');
      assert.equal(await page.locator('#board.is-stale').count(), 0);
      const said = await page.evaluate(() => window.__said);
      assert.equal(said.at(-1), '2 of 6 need attention.');
      assert.equal(said.length, 3, said.join(' / '));
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  test('the live region announces changes only: not the ticking ages, not the same summary again', async () => {
    srv.reset();
    const page = await newPage(DESKTOP);
    await openBoard(page, '?textid=demo&refresh=2');
    await recordLiveRegion(page);
    // Two more refreshes with nothing changed: nothing is said.
    for (let i = 0; i < 2; i += 1) await page.waitForResponse((r) => r.url().includes('/jstatus/'));
    await page.locator('#board:not(.is-loading)').waitFor();
    assert.deepEqual(await page.evaluate(() => window.__said), []);
    assert.equal(await page.locator('[aria-live], [role=status], [role=alert]').evaluateAll((els) => els.filter((e) => e.closest('#board') && !e.matches('[data-live]') && !e.closest('.notices')).length), 0);

    await fetch(new URL('update', srv.url), { method: 'POST', body: new URLSearchParams({ textid: 'demo', name: 'servers:db1:alive', status: 'OK', secret: 'demo-secret' }) });
    await page.waitForFunction(() => window.__said.length > 0, null, { timeout: 10000 });
    const said = await page.evaluate(() => window.__said);
    assert.deepEqual(said, ['1 of 6 need attention. Database server: OK, was ERR.']);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('history: a change the page saw reads "was ERR for 30 min", on the board, on the wall and after a reload', async () => {
    srv.reset();
    const page = await newPage(WALL, 'dark');
    await openBoard(page, '?textid=demo&view=wall&refresh=2');
    const note = page.locator('[data-board=note]');
    assert.match(await note.textContent(), /what this screen saw change since \d\d:\d\d:\d\d/);
    await fetch(new URL('update', srv.url), { method: 'POST', body: new URLSearchParams({ textid: 'demo', name: 'servers:db1:alive', status: 'OK', secret: 'demo-secret' }) });
    const db = () => shownItems(page).then((items) => items.find((i) => i.title === 'Database server'));
    await page.waitForFunction(() => document.querySelector('.tile[data-title="Database server"]')?.dataset.status === 'OK', null, { timeout: 10000 });
    let row = await db();
    assert.match(row.changed, /^OK for [0-9] s$/);
    // 30 minutes before the update, to the second the server's whole-second ages allow.
    const was = row.was;
    assert.match(was, /^was ERR for (29|30) min$/);
    await page.screenshot({ path: join(shots, 'wall-1920-history.png') });

    // The page remembers what it saw (public page data only) across a reload.
    await page.reload();
    await page.locator('.tile').first().waitFor();
    row = await db();
    assert.equal(row.was, was);
    const stored = await page.evaluate(() => Object.keys(localStorage));
    assert.equal(stored.length, 1);
    assert.match(stored[0], /^okerr-dashboard:history:/);
    await page.goto(`${srv.url}?textid=demo`);
    await page.locator('.row').first().waitFor();
    row = (await shownItems(page)).find((i) => i.title === 'Database server');
    assert.equal(row.was, was);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the real status page shape: items without name or unix times, known by chapter and title', async () => {
    srv.reset();
    const page = await newPage(DESKTOP);
    await openBoard(page, '?textid=demo');
    const items = await shownItems(page);
    assert.deepEqual(
      items.map((i) => i.key),
      ['Servers/Web server', 'Servers/Database server', 'Servers/Database disk', 'Services/HTTPS certificate', 'Services/Web site', 'Services/Nightly backup'],
    );
    assert.ok(items.every((i) => i.name === null));
    // Ages come from the server's own timedelta strings.
    assert.equal(items[0].updated, 'updated 2 min ago');
    assert.equal(items[5].updated, 'updated 8 h 20 min ago');
    assert.equal(items[5].details, '', 'the page entry hides the details');
    assert.equal(await page.locator('.row-sub').first().textContent(), 'Serves www.example.com');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('indicators named constructor, __proto__, toString, hasOwnProperty: every row shows, changes are seen, on the board, the wall and after a reload', async () => {
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
    let status = 'ERR';
    // A status page whose items carry names, as a server other than okerr's may send them.
    const answer = () => ({
      addr: 'index',
      textid: 'demo',
      title: 'Inherited names',
      chapters: { Names: names.map((name) => ({ name, title: name, status, details: `${name} here`, updated_age: '0:00:10', changed_age: status === 'ERR' ? '0:30:00' : '0:00:05' })) },
      blog: [],
    });
    for (const [query, viewport] of [['?textid=demo&refresh=2', DESKTOP], ['?textid=demo&view=wall&refresh=2', WALL]]) {
      status = 'ERR';
      const page = await newPage(viewport);
      await page.route('**/jstatus/**', (route) => route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(answer()) }));
      await openBoard(page, query);
      let items = await shownItems(page);
      assert.deepEqual(items.map((i) => [i.name, i.status]), names.map((n) => [n, 'ERR']));
      assert.equal((await signals(page)).summary, '4 of 4 need attention');
      status = 'OK';
      await page.waitForFunction(() => document.querySelector('#board').dataset.state === 'ok', null, { timeout: 10000 });
      items = await shownItems(page);
      assert.deepEqual(items.map((i) => [i.name, i.status, i.was]), names.map((n) => [n, 'OK', 'was ERR for 29 min']));
      await page.reload();
      await page.locator('#board .row, #board .tile').first().waitFor();
      await page.waitForFunction(() => document.querySelector('#board').dataset.state === 'ok');
      assert.deepEqual((await shownItems(page)).map((i) => i.was), names.map(() => 'was ERR for 29 min'), 'kept across a reload');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  test('a page with no chapters stays usable, on a desktop and on the wall', async () => {
    for (const [query, viewport, name] of [
      ['?textid=empty', DESKTOP, 'desktop-no-chapters'],
      ['?textid=empty&view=wall', WALL, 'wall-1920-no-chapters'],
    ]) {
      const page = await newPage(viewport);
      await openBoard(page, query);
      const s = await signals(page);
      assert.equal(s.summary, 'This page has no indicators yet');
      assert.equal(s.title, 'Nothing here yet · okerr');
      assert.equal(s.favicon, 'none');
      assert.equal(await page.locator('#board .empty').textContent(), 'This status page has no chapters.');
      await assertAccessible(page, name);
      await shoot(page, name);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  test('phone, light and dark: one column, readable, accessible', async () => {
    srv.reset();
    for (const scheme of ['light', 'dark']) {
      const page = await newPage(PHONE, scheme);
      await openBoard(page, '?textid=demo');
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
      await assertAccessible(page, `phone ${scheme}`);
      await assertHeadingsInOrder(page, `phone ${scheme}`);
      await shoot(page, `phone-${scheme}`);
      const wall = await newPage(PHONE, scheme);
      await openBoard(wall, '?textid=demo&view=wall');
      assert.ok((await wall.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
      await assertAccessible(wall, `phone wall ${scheme}`);
      await shoot(wall, `phone-wall-${scheme}`);
      assert.deepEqual([...page.errors, ...wall.errors], []);
      await page.context().close();
      await wall.context().close();
    }
  });

  test('Escape closes the settings popover and gives the focus back', async () => {
    const page = await newPage(DESKTOP);
    await openBoard(page, '?textid=demo');
    await page.locator('#settings-box summary').click();
    assert.equal(await page.locator('#settings-box').getAttribute('open'), '');
    await page.locator('#settings [name=page]').focus();
    await assertAccessible(page, 'settings open');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#settings-box').getAttribute('open'), null);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY');
    await page.context().close();
  });
});

describe('dashboard from another origin', () => {
  let api;
  before(async () => {
    api = await startOkerrServer({ demo: true });
  });
  after(() => api?.close());

  test('the board works; the API and update panels say what the operator can do, not how to change the code', async () => {
    const page = await newPage(DESKTOP);
    await openBoard(page, `?textid=demo&server=${encodeURIComponent(api.url)}`);
    assert.equal((await signals(page)).summary, '2 of 6 need attention');

    await page.locator('[data-api=key]').fill('demo-api-key');
    await page.locator('[data-api=connect] button').click();
    await page.locator('#api-panel [data-confirm=send]').click();
    const apiBox = page.locator('#api-panel [role=alert]');
    await apiBox.waitFor();
    const apiText = await apiBox.textContent();
    assert.equal(await apiBox.locator('[data-testid=error-code]').textContent(), 'CORS');
    assert.match(apiText, /Open the dashboard from the okerr server’s own address, or use the okerrapi command/);
    assert.doesNotMatch(apiText, /no-cors|mode:|direct: true|same origin/i);

    const form = page.locator('#update-form');
    await form.locator('[name=name]').fill('servers:db1:alive');
    await form.locator('[name=status]').fill('OK');
    await form.locator('[name=secret]').fill('demo-secret');
    await form.locator('button[type=submit]').click();
    const result = form.locator('[data-update=result] [role=alert]');
    await result.waitFor();
    const text = await result.textContent();
    assert.match(text, /Not confirmed/);
    assert.match(text, /okerrupdate command/);
    assert.doesNotMatch(text, /no-cors|mode:|direct: true|same origin/i);
    await assertAccessible(page, 'another origin, errors shown');
    await shoot(page, 'desktop-other-origin');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a link to another server: the page says which, and the key and the secret go there only once confirmed', async () => {
    const page = await newPage(DESKTOP);
    const credentialed = () => api.received.filter((r) => r.kind === 'api' || r.kind === 'update' || r.headers?.['x-api-key']);
    api.reset();
    await openBoard(page, `?textid=demo&server=${encodeURIComponent(api.url)}`);
    const origin = new URL(api.url).origin;
    const server = page.locator('[data-project=server]');
    assert.equal(await server.textContent(), new URL(api.url).host);
    assert.equal(await server.getAttribute('class'), 'settings-server is-foreign');
    const note = page.locator('[data-server=note]');
    assert.ok(await note.isVisible());
    assert.match(await note.textContent(), new RegExp(`talks to ${origin}, not to this page’s own server \\(${srv.url.replace(/\/$/, '')}\\)`));

    // The key: asked first; Cancel sends nothing and gives the focus back to the field.
    await page.locator('[data-api=key]').fill('demo-api-key');
    await page.locator('[data-api=connect] button').click();
    const ask = page.locator('#api-panel [data-testid=confirm-server]');
    await ask.waitFor();
    assert.match(await ask.textContent(), new RegExp(`Send the API key to another server\\?.*${origin}`));
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
    await assertAccessible(page, 'another server, asked before the key goes');
    await shoot(page, 'desktop-other-server-ask');
    await page.locator('#api-panel').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await ask.count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.api), 'key');

    // The secret: asked too; confirmed, the update goes out (its answer is hidden from the page).
    const form = page.locator('#update-form');
    await form.locator('[name=name]').fill('servers:db1:alive');
    await form.locator('[name=status]').fill('OK');
    await form.locator('[name=secret]').fill('demo-secret');
    await form.locator('button[type=submit]').click();
    await form.locator('[data-testid=confirm-server]').waitFor();
    assert.match(await form.locator('[data-testid=confirm-server]').textContent(), /Send the secret to another server\?/);
    await assertAccessible(page, 'another server, asked before the secret goes');
    await form.screenshot({ path: join(shots, 'update-other-server-ask.png') });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(credentialed(), [], 'nothing with a credential reached the other server before it was confirmed');
    await form.locator('[data-confirm=send]').click();
    await form.locator('[data-update=result] [role=alert]').waitFor();
    assert.equal(credentialed().filter((r) => r.kind === 'update').length, 1);

    // Confirmed once for this page: the key now goes without asking again.
    await page.locator('[data-api=key]').fill('demo-api-key');
    await page.locator('[data-api=connect] button').click();
    await page.locator('#api-panel [role=alert]').waitFor();
    assert.equal(await page.locator('#api-panel [data-testid=confirm-server]').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();

    // The note and the question, dark.
    const dark = await newPage(DESKTOP, 'dark');
    await openBoard(dark, `?textid=demo&server=${encodeURIComponent(api.url)}`);
    await dark.locator('[data-api=key]').fill('demo-api-key');
    await dark.locator('[data-api=connect] button').click();
    await dark.locator('#api-panel [data-testid=confirm-server]').waitFor();
    await assertAccessible(dark, 'another server, asked, dark');
    await shoot(dark, 'desktop-other-server-ask-dark');
    await dark.context().close();
  });
});
