/**
 * What every main screen must satisfy at each viewport: no horizontal scroll, no two visible boxes
 * overlapping (other than one inside the other; Monaco's own surface excluded), and axe-core with no
 * serious or critical finding. A screenshot of each is kept under test-results/screenshots/.
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

/** Pairs of visible boxes that overlap without one containing the other. */
function overlapsInPage(): string[] {
  const selector = 'a, button, input, select, textarea, label, h1, h2, h3, p, [role="tab"], .badge, li, pre, img, .card';
  // With a modal dialog open, the page behind is inert and covered: only the dialog's boxes count.
  const root: ParentNode = document.querySelector('dialog[open]') ?? document;
  const visible = [...root.querySelectorAll<HTMLElement>(selector)].filter((el) => {
    if (el.closest('.monaco-editor, .toasts, [aria-hidden="true"], .visually-hidden, .skip-link')) return false;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 1 && box.height > 1;
  });
  const name = (el: HTMLElement) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
  const found: string[] = [];
  for (let i = 0; i < visible.length; i++) {
    for (let j = i + 1; j < visible.length; j++) {
      const a = visible[i] as HTMLElement;
      const b = visible[j] as HTMLElement;
      if (a.contains(b) || b.contains(a)) continue;
      const ra = a.getBoundingClientRect();
      const rb = b.getBoundingClientRect();
      const width = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const height = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (width > 1 && height > 1) found.push(`${name(a)} × ${name(b)}`);
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
