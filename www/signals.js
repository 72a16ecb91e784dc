// What the page says outside its own body, for someone looking at a tab strip or listening with
// a screen reader: the title, the favicon, and the live region that announces changes.

const ICONS = {
  ok: { fill: '#16a34a', mark: '<path d="M4.5 8.3l2.3 2.3 4.7-4.9" fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>' },
  err: { fill: '#dc2626', mark: '<path d="M8 3.8v5" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/><circle cx="8" cy="12" r="1.3" fill="#fff"/>' },
  stale: { fill: '#ca8a04', mark: '<circle cx="8" cy="8" r="2.4" fill="#fff"/>' },
  down: { fill: '#475569', mark: '<path d="M5 5l6 6M11 5l-6 6" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/>' },
  none: { fill: '#94a3b8', mark: '' },
};

/** The favicon of a board state (`ok`, `err`, `stale`, `down`, `none`): a colour and a shape. */
export function faviconHref(state) {
  const { fill, mark } = ICONS[state] ?? ICONS.none;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7.5" fill="${fill}"/>${mark}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function setFavicon(state) {
  let link = document.querySelector('link[rel=icon]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  link.dataset.state = state;
  link.href = faviconHref(state);
}

/**
 * A polite live region that speaks only when told something new: the same text twice in a row
 * is said once, and nothing that merely ticks (ages, "refreshed N s ago") is ever sent here.
 */
export class Announcer {
  constructor(el) {
    this.el = el;
    this.last = '';
  }

  /** Says `text` unless it was the last thing said; `force` says it again (a new change). */
  say(text, { force = false } = {}) {
    if (!text || (text === this.last && !force)) return;
    this.last = text;
    // A region whose text is set to what it already holds is not read again: clear it first.
    this.el.textContent = '';
    requestAnimationFrame(() => {
      this.el.textContent = text;
    });
  }
}
