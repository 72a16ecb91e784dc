// What the dashboard's Chromium tests share: where the package and the screenshots are, the
// accessibility check (axe-core), and reading the board as a person sees it.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const installed = join(here, '../node_modules/okerrupdate');
export const shots = join(here, '../out/dashboard');
mkdirSync(shots, { recursive: true });

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core on the page as it is now: no serious or critical violation (WCAG 2.x A/AA, best practices). */
export async function assertAccessible(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(' | ')}`);
  assert.deepEqual(bad, [], `${label}: axe-core violations`);
}

/** The headings in document order must start at h1 and never skip a level going down. */
export async function assertHeadingsInOrder(page, label) {
  const levels = await page.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((e) => e.getClientRects().length).map((e) => Number(e.tagName[1])),
  );
  assert.equal(levels[0], 1, `${label}: first heading ${levels}`);
  for (let i = 1; i < levels.length; i += 1) assert.ok(levels[i] <= levels[i - 1] + 1, `${label}: headings ${levels}`);
}

/** The rows (or wall tiles) as shown: title, status, kind, classes, the texts of each field. */
export function shownItems(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#board .row, #board .tile')].map((el) => {
      const text = (f) => el.querySelector(`[data-field=${f}]`)?.textContent ?? null;
      const badge = el.querySelector('[data-field=status]');
      return {
        key: el.dataset.key,
        name: el.dataset.name ?? null,
        title: el.dataset.title,
        status: badge.textContent,
        kind: el.dataset.kind,
        cls: ['ok', 'err', 'other'].find((c) => el.classList.contains(c)),
        colour: getComputedStyle(badge).backgroundColor,
        chapter: el.closest('.chapter')?.dataset.chapter ?? el.querySelector('.tile-chapter')?.textContent ?? null,
        details: text('details'),
        updated: text('updated'),
        changed: text('changed'),
        was: text('was'),
      };
    }),
  );
}

/** Title, favicon state, banner text and the live region: what the board says outside its rows. */
export function signals(page) {
  return page.evaluate(() => ({
    title: document.title,
    favicon: document.querySelector('link[rel=icon]')?.dataset.state ?? null,
    summary: document.querySelector('[data-testid=summary-text]')?.textContent ?? null,
    sub: [...document.querySelectorAll('.summary-sub')].map((e) => e.textContent).join(' '),
    live: document.querySelector('[data-live]').textContent,
    state: document.querySelector('#board').dataset.state,
  }));
}

/** Relative luminance of a CSS `rgb()` colour (0 black .. 1 white). */
export function luminance(rgb) {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Collects every text the live region is given, from now on, into `window.__said`. */
export function recordLiveRegion(page) {
  return page.evaluate(() => {
    window.__said = [];
    const live = document.querySelector('[data-live]');
    new MutationObserver(() => live.textContent && window.__said.push(live.textContent)).observe(live, { childList: true, characterData: true, subtree: true });
  });
}
