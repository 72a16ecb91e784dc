// The www/ dashboard in Debian's Chromium (driven by playwright-core), served by the local okerr
// server with the demo project and the package as installed from its tarball.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDashboard } from '../../scripts/dashboard.mjs';
import { CHROMIUM } from '../chromium.mjs';
import { assertAccessible } from './browser.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const installed = join(here, '../node_modules/okerrupdate');
const shots = join(here, '../out/dashboard');
const TEXTID = 'demo';
const SECRET = 'demo-secret';
const API_KEY = 'demo-api-key';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

let srv;
let context;
let profile;
let page;
const consoleLines = [];
const foreignRequests = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  srv = await startDashboard({ pkgDir: installed });
  profile = mkdtempSync(join(tmpdir(), 'okerr-dashboard-chromium-'));
  context = await chromium.launchPersistentContext(profile, { ...CHROMIUM, viewport: DESKTOP });
  context.on('request', (r) => {
    if (!r.url().startsWith(srv.url) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
  });
});

after(async () => {
  await context?.close();
  await srv?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

beforeEach(async () => {
  srv.reset();
  await page?.close();
  page = await context.newPage();
  await page.setViewportSize(DESKTOP);
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
});

/** Opens the dashboard on the demo project and waits for the board. */
async function open(query = `?textid=${TEXTID}`) {
  await page.goto(srv.url + query);
  await page.locator('#board .row').first().waitFor();
}

/** What the server's public page holds, as the board should show it. */
async function serverPage() {
  const r = await fetch(new URL(`jstatus/${TEXTID}/index`, srv.url));
  return r.json();
}

/** The board as rendered: chapter -> [{ name, status, details, cls, colour, updated }]. */
function boardRows() {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('.chapter')].map((ch) => [
        ch.dataset.chapter,
        [...ch.querySelectorAll('.row')].map((row) => {
          const badge = row.querySelector('[data-field=status]');
          return {
            name: row.dataset.title,
            title: row.querySelector('.row-title').textContent,
            status: badge.textContent,
            details: row.querySelector('[data-field=details]').textContent,
            cls: ['ok', 'err', 'other'].find((c) => row.classList.contains(c)),
            colour: getComputedStyle(badge).backgroundColor,
            updated: row.querySelector('[data-field=updated]').textContent,
            changed: row.querySelector('[data-field=changed]').textContent,
          };
        }),
      ]),
    ),
  );
}

const GREEN = 'rgb(19, 115, 51)';
const RED = 'rgb(196, 39, 39)';

/** A row by its title: the real status page names no indicator. */
async function rowOf(title) {
  const rows = Object.values(await boardRows()).flat();
  return rows.find((r) => r.name === title);
}

async function sendUpdate({ name, method = '', status, details = '', secret = SECRET }) {
  const form = page.locator('#update-form');
  await form.locator('[name=name]').fill(name);
  await form.locator('[name=method]').fill(method);
  await form.locator('[name=status]').fill(status);
  await form.locator('[name=details]').fill(details);
  await form.locator('[name=secret]').fill(secret);
  await form.locator('button[type=submit]').click();
  await form.locator('[data-update=result] .notice').waitFor();
  return form.locator('[data-update=result]');
}

describe('dashboard', () => {
  test('loads the package through its browser entry (the exports map "browser" condition)', async () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    const browserEntry = pkg.exports['.'].browser;
    assert.equal(typeof browserEntry, 'string');
    const loaded = [];
    page.on('response', (r) => loaded.push(new URL(r.url()).pathname));
    await open();
    const map = await page.evaluate(() => JSON.parse(document.querySelector('script[type=importmap]').textContent));
    assert.equal(map.imports.okerrupdate, `./pkg/${browserEntry.replace(/^\.\//, '')}`);
    assert.ok(loaded.includes(`/pkg/${browserEntry.replace(/^\.\//, '')}`), loaded.join(' '));
  });

  test('the board shows what the local server holds: chapters, indicators, status, colour, details, age', async () => {
    await open();
    const want = await serverPage();
    assert.equal(await page.locator('[data-board=title]').textContent(), want.title);
    const got = await boardRows();
    assert.deepEqual(Object.keys(got), Object.keys(want.chapters));
    for (const [chapter, items] of Object.entries(want.chapters)) {
      assert.deepEqual(
        got[chapter].map((r) => r.name),
        items.map((i) => i.title),
        chapter,
      );
      for (const [k, item] of items.entries()) {
        const row = got[chapter][k];
        assert.equal(row.status, item.status, item.title);
        assert.equal(row.title, item.title);
        assert.equal(row.details, (item.details ?? '').replace(/^ \| /, ''), item.title);
        assert.equal(row.cls, item.status === 'OK' ? 'ok' : 'err', item.title);
        assert.equal(row.colour, item.status === 'OK' ? GREEN : RED, item.title);
        assert.match(row.updated, /^updated \d+ (s|min|h|d)( \d+ (min|h))? ago$/, item.title);
        assert.match(row.changed, /^for \d+/, item.title);
      }
    }
    const bad = Object.values(want.chapters).flat().filter((i) => i.status !== 'OK').length;
    assert.equal(await page.locator('[data-testid=summary-text]').textContent(), `${bad} of 6 need attention`);
    // Ages come from the server: the web server was updated 2 minutes ago, the backup ~8 h ago.
    assert.equal((await rowOf('Web server')).updated, 'updated 2 min ago');
    assert.equal((await rowOf('Nightly backup')).updated, 'updated 8 h 20 min ago');
    assert.equal(await page.locator('.notice.info').count(), want.blog.length);
    await page.screenshot({ path: join(shots, 'desktop.png'), fullPage: true });
  });

  test('lists the indicators through the API with a typed-in key that is held in memory only', async () => {
    await open();
    const panel = page.locator('#api-panel');
    await panel.locator('[data-api=key]').fill(API_KEY);
    await panel.locator('[data-api=connect] button').click();
    await panel.locator('.ind').first().waitFor();
    const held = [...srv.project(TEXTID).indicators.keys()].sort();
    const shown = await panel.locator('.ind').evaluateAll((els) => els.map((e) => e.dataset.name));
    assert.deepEqual([...shown].sort(), held);
    assert.equal(await panel.locator('[data-api=count]').textContent(), String(held.length));
    // Status dots agree with the server.
    const dots = await panel
      .locator('.ind')
      .evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.name, e.querySelector('.dot').className])));
    assert.match(dots['servers:db1:alive'], /\berr\b/);
    assert.match(dots['servers:web1:alive'], /\bok\b/);
    assert.match(dots['legacy:ftp'], /\bother\b/);

    // The key is gone from the field, the address, storage and cookies.
    assert.equal(await panel.locator('[data-api=key]').inputValue(), '');
    assert.ok(!page.url().includes(API_KEY));
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.ok(!stored.includes(API_KEY), stored);
    assert.equal((await context.cookies()).length, 0);

    // One indicator's details, then filling the form from it.
    await panel.locator('.ind[data-name="servers:db1:df-/var"] .ind-button').click();
    const facts = panel.locator('.ind-details .facts');
    await facts.waitFor();
    assert.match(await facts.textContent(), /numerical\|maxlim=90/);
    assert.match(await facts.textContent(), /93\.5 > 90\.0/);
    await panel.locator('.ind-details button').click();
    assert.equal(await page.locator('#update-form [name=name]').inputValue(), 'servers:db1:df-/var');
    assert.equal(await page.locator('#update-form [name=method]').inputValue(), 'numerical|maxlim=90');
    assert.equal(await page.locator('#update-form [name=status]').inputValue(), '93.5');
    assert.match(await panel.locator('.ind-details figcaption').textContent(), /^last 24 values/);

    // Every kind of indicator: no stray "null" where there is no chart. The queue's log holds
    // raw texts as the real server keeps them (' 12 ', '1e1', 'nan'): 11 of its 12 chart.
    for (const name of ['servers:web1:alive', 'app:version', 'www:sslcert', 'legacy:ftp', 'queue:length']) {
      await panel.locator(`.ind[data-name="${name}"] .ind-button`).click();
      const box = panel.locator(`.ind[data-name="${name}"] .ind-details`);
      await box.locator('.facts').waitFor();
      assert.doesNotMatch(await box.textContent(), /null|undefined|NaN/, name);
    }
    const queue = panel.locator('.ind[data-name="queue:length"] .ind-details');
    assert.match(await queue.locator('figcaption').textContent(), /^last 11 values · min 10 · max 22/);
    await assertAccessible(page, 'indicator panel with details open');
    await page.screenshot({ path: join(shots, 'api-panel-chart.png'), fullPage: true });

    await panel.locator('[data-api=filter]').fill('servers:');
    assert.equal(await panel.locator('.ind').count(), held.filter((n) => n.includes('servers:')).length);
    await page.screenshot({ path: join(shots, 'api-panel.png'), fullPage: true });

    await panel.locator('[data-api=forget]').click();
    assert.equal(await panel.locator('.ind').count(), 0);
    assert.ok(await panel.locator('[data-api=key]').isVisible());
  });

  test('a wrong API key shows the OkerrError and lists nothing', async () => {
    await open();
    const panel = page.locator('#api-panel');
    await panel.locator('[data-api=key]').fill('not-the-key');
    await panel.locator('[data-api=connect] button').click();
    await panel.locator('[role=alert]').waitFor();
    assert.equal(await panel.locator('[data-testid=error-code]').textContent(), 'FORBIDDEN');
    assert.equal(await panel.locator('[data-testid=error-status]').textContent(), 'HTTP 403');
    assert.equal(await panel.locator('.ind').count(), 0);
    assert.ok(await panel.locator('[data-api=key]').isVisible());
  });

  test('an update sent through the form reaches the server and the board changes', async () => {
    await open();
    const before = await rowOf('Database server');
    assert.equal(before.status, 'ERR');
    const result = await sendUpdate({ name: 'servers:db1:alive', status: 'OK', details: 'back after reboot' });
    assert.match(await result.textContent(), /✓ Sent/);
    assert.equal(await result.locator('[data-testid=update-ok]').getAttribute('data-reason'), 'sent');

    const ind = srv.indicator(TEXTID, 'servers:db1:alive');
    assert.equal(ind.status, 'OK');
    assert.equal(ind.details, 'back after reboot');
    const sent = srv.received.filter((r) => r.kind === 'update');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].form.secret, SECRET);

    // The board refreshes after a send, without waiting for the interval.
    await page.waitForFunction(() => document.querySelector('.row[data-title="Database server"]')?.dataset.status === 'OK');
    const afterRow = await rowOf('Database server');
    assert.equal(afterRow.details, 'back after reboot');
    assert.equal(afterRow.colour, GREEN);
    // It changed a moment ago (0 or 1 s: the server counts whole seconds, and the age ticks).
    assert.equal(before.changed, 'for 30 min');
    assert.match(afterRow.changed, /^for [0-4] s$/);
    assert.equal(await page.locator('[data-testid=summary-text]').textContent(), '1 of 6 need attention');
    await page.screenshot({ path: join(shots, 'after-update.png'), fullPage: true });

    // The secret never reached the console.
    assert.ok(!consoleLines.some((l) => l.includes(SECRET)), consoleLines.join('\n'));
  });

  test('an update sent while the board is fetching shows without waiting for the interval', async () => {
    await open();
    const pages = () => srv.received.filter((r) => r.path.startsWith('/jstatus/'));
    const before = pages().length;
    // The next status page is answered late, telling the state from before the update.
    srv.addFault({ path: '/jstatus/', kind: 'delay', ms: 4000, after: true });
    await page.locator('[data-board=refresh]').click();
    await page.locator('#board.is-loading').waitFor();
    const result = await sendUpdate({ name: 'servers:db1:alive', status: 'OK' });
    assert.match(await result.textContent(), /✓ Sent/);
    // The update went out while that fetch was still in flight (else this test proves nothing).
    assert.equal(await page.locator('#board.is-loading').count(), 1);
    assert.equal(pages().length, before);
    await page.waitForFunction(() => document.querySelector('.row[data-title="Database server"]')?.dataset.status === 'OK', null, {
      timeout: 10000,
    });
    // The late page first, then the one asked for after the update.
    assert.deepEqual(
      pages().slice(before).map((r) => r.fault),
      ['delay 4000ms after', null],
    );
  });

  test('the board follows changes made elsewhere on its refresh interval', async () => {
    await open();
    await page.locator('[data-board=interval]').selectOption('5000');
    await fetch(new URL('update', srv.url), {
      method: 'POST',
      body: new URLSearchParams({ textid: TEXTID, name: 'servers:db1:df-/var', status: '71.5', method: 'numerical', secret: SECRET }),
    });
    const t0 = Date.now();
    await page.waitForFunction(() => document.querySelector('.row[data-title="Database disk"]')?.dataset.status === 'OK', null, {
      timeout: 9000,
    });
    assert.ok(Date.now() - t0 < 9000);
    assert.equal(await page.locator('[data-testid=summary-text]').textContent(), '1 of 6 need attention');
  });

  test('the form shows an OkerrError: code, message, HTTP status', async () => {
    await open();
    let result = await sendUpdate({ name: 'servers:db1:alive', status: 'OK', secret: 'wrong-secret' });
    assert.equal(await result.locator('[data-testid=error-status]').textContent(), 'HTTP 400');
    assert.match(await result.locator('[data-testid=error-message]').textContent(), /Bad secret/);
    assert.notEqual((await result.locator('[data-testid=error-code]').textContent()).trim(), '');
    assert.equal(srv.indicator(TEXTID, 'servers:db1:alive').status, 'ERR');
    await page.screenshot({ path: join(shots, 'update-error.png'), fullPage: true });

    // Refused before sending: a heartbeat is OK or ERR.
    const count = srv.received.filter((r) => r.kind === 'update').length;
    result = await sendUpdate({ name: 'servers:db1:alive', status: 'GOOD' });
    assert.equal(await result.locator('[data-testid=error-code]').textContent(), 'INVALID_ARGUMENT');
    assert.equal(await result.locator('[data-testid=error-status]').count(), 0);
    assert.equal(srv.received.filter((r) => r.kind === 'update').length, count);

    // The server's own code (ERROR:BAD_METHOD) comes through.
    result = await sendUpdate({ name: 'www:sslcert', status: 'OK' });
    assert.equal(await result.locator('[data-testid=error-code]').textContent(), 'BAD_METHOD');
    assert.ok(!consoleLines.some((l) => l.includes('wrong-secret') || l.includes(SECRET)));
  });

  test('choosing another page or project in the settings: the board follows, the key is dropped', async () => {
    await open();
    await page.locator('[data-api=key]').fill(API_KEY);
    await page.locator('[data-api=connect] button').click();
    await page.locator('#api-panel .ind').first().waitFor();

    await page.locator('#settings-box summary').click();
    await page.locator('#settings [name=page]').fill('internal');
    await page.locator('#settings button[type=submit]').click();
    const alert = page.locator('#board [role=alert]');
    await alert.waitFor();
    assert.equal(await alert.locator('[data-testid=error-code]').textContent(), 'FORBIDDEN');
    assert.equal(await page.locator('#board .row').count(), 0);
    assert.equal(await page.locator('#api-panel .ind').count(), 0);
    assert.ok(await page.locator('[data-api=key]').isVisible());
    assert.equal(new URL(page.url()).search, `?textid=${TEXTID}&page=internal`);

    await page.locator('#settings-box summary').click();
    await page.locator('#settings [name=textid]').fill('nosuch');
    await page.locator('#settings [name=page]').fill('index');
    await page.locator('#settings button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('#board [data-testid=error-code]')?.textContent === 'NOT_FOUND');

    await page.locator('#settings-box summary').click();
    await page.locator('#settings [name=textid]').fill(TEXTID);
    await page.locator('#settings button[type=submit]').click();
    await page.locator('#board .row').first().waitFor();
    assert.equal(await page.locator('#board [role=alert]').count(), 0);
    assert.equal(new URL(page.url()).search, `?textid=${TEXTID}`);
  });

  test('phone width (375 px): one column, nothing wider than the screen, everything reachable', async () => {
    await page.setViewportSize(PHONE);
    await open();
    const layout = await page.evaluate(() => {
      const box = (sel) => document.querySelector(sel).getBoundingClientRect().toJSON();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        board: box('#board'),
        api: box('#api-panel'),
        update: box('#update-panel'),
        rows: [...document.querySelectorAll('.row')].map((r) => {
          const b = (s) => r.querySelector(s).getBoundingClientRect();
          return { row: r.getBoundingClientRect().toJSON(), title: b('.row-title').toJSON(), badge: b('.badge').toJSON(), details: b('.row-details').toJSON() };
        }),
      };
    });
    assert.ok(layout.scrollWidth <= PHONE.width, `page is ${layout.scrollWidth}px wide`);
    // Stacked: board, then the indicator list, then the form, each the full width.
    assert.ok(layout.api.top >= layout.board.bottom);
    assert.ok(layout.update.top >= layout.api.bottom);
    for (const b of [layout.board, layout.api, layout.update]) assert.ok(b.left >= 0 && b.right <= PHONE.width);
    for (const r of layout.rows) {
      // Title and badge side by side, details below them, all inside the row.
      assert.ok(r.badge.right <= r.row.right + 0.5 && r.badge.left > r.title.left);
      assert.ok(r.details.top >= r.title.bottom - 0.5);
      assert.ok(r.title.right <= r.badge.left);
    }
    await page.screenshot({ path: join(shots, 'phone.png'), fullPage: true });

    await sendUpdate({ name: 'servers:db1:alive', status: 'OK', details: 'from a phone' });
    await page.waitForFunction(() => document.querySelector('.row[data-title="Database server"]')?.dataset.status === 'OK');
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width);
    await page.screenshot({ path: join(shots, 'phone-after-update.png'), fullPage: true });
  });

  test('only the local server was contacted', () => {
    assert.deepEqual(foreignRequests, []);
    assert.ok(!consoleLines.some((l) => l.startsWith('pageerror')), consoleLines.join('\n'));
  });
});
