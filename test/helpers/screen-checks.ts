/**
 * What every main screen must satisfy at each viewport: no horizontal scroll, no two visible boxes
 * overlapping as shown (other than one inside the other; Monaco's own surface excluded), and axe-core
 * with no serious or critical finding. A screenshot of each is kept under test-results/screenshots/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { repoRoot } from '../bed/paths.js';

export const screenshotDir = `${repoRoot}test-results/screenshots`;
const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ScreenReport {
  readonly horizontalScroll: { scrollWidth: number; clientWidth: number } | null;
  readonly overlaps: string[];
  readonly axe: string[];
  readonly screenshot: string;
}

/**
 * Pairs of visible boxes that overlap without one containing the other. A box is what shows of it:
 * clipped by every scrolling or clipping ancestor, and nothing for content that is not rendered
 * (display: none, visibility: hidden, a closed <details>' content).
 */
function overlapsInPage(): string[] {
  const selector = 'a, button, input, select, textarea, label, h1, h2, h3, p, [role="tab"], .badge, li, pre, img, .card';
  // With a modal dialog open, the page behind is inert and covered: only the dialog's boxes count.
  const root: ParentNode = document.querySelector('dialog[open]') ?? document;
  const shown = (el: HTMLElement): DOMRect | null => {
    if (!el.checkVisibility({ visibilityProperty: true })) return null;
    let { left, top, right, bottom } = el.getBoundingClientRect();
    for (let parent = el.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const clip = parent.getBoundingClientRect();
      left = Math.max(left, clip.left);
      top = Math.max(top, clip.top);
      right = Math.min(right, clip.right);
      bottom = Math.min(bottom, clip.bottom);
    }
    return right - left > 1 && bottom - top > 1 ? new DOMRect(left, top, right - left, bottom - top) : null;
  };
  const visible: { el: HTMLElement; box: DOMRect }[] = [];
  for (const el of root.querySelectorAll<HTMLElement>(selector)) {
    if (el.closest('.monaco-editor, .toasts, [aria-hidden="true"], .visually-hidden, .skip-link')) continue;
    const box = shown(el);
    if (box) visible.push({ el, box });
  }
  const name = (el: HTMLElement) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
  const found: string[] = [];
  for (let i = 0; i < visible.length; i++) {
    for (let j = i + 1; j < visible.length; j++) {
      const a = visible[i] as { el: HTMLElement; box: DOMRect };
      const b = visible[j] as { el: HTMLElement; box: DOMRect };
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const width = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const height = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (width > 1 && height > 1) found.push(`${name(a.el)} × ${name(b.el)}`);
    }
  }
  return found;
}

export async function checkScreen(page: Page, name: string): Promise<ScreenReport> {
  const viewport = page.viewportSize();
  await mkdir(screenshotDir, { recursive: true });
  const screenshot = `${screenshotDir}/${name}-${viewport?.width}x${viewport?.height}.png`;
  await page.screenshot({ path: screenshot, fullPage: true });
  const scroll = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  const overlaps = await page.evaluate(overlapsInPage);
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return {
    horizontalScroll: scroll.scrollWidth > scroll.clientWidth ? scroll : null,
    overlaps,
    axe: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`),
    screenshot,
  };
}
