/**
 * Keyboard only: sign up and deploy a template without touching the mouse — Tab moves through the
 * controls in a sensible order, Enter and Space activate them, and focus is always visible.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { openSession, sharedPlatform, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);

interface Target {
  readonly id?: string;
  readonly role?: string;
  readonly text?: string;
  readonly textStart?: string;
}

/** Presses Tab until the focused element is the target; fails after 40 presses (it is not reachable). */
async function tabTo(page: Page, describe: string, target: Target): Promise<number> {
  for (let presses = 1; presses <= 40; presses++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate((want) => {
      const el = document.activeElement;
      if (!el) return false;
      const text = el.textContent ?? '';
      return (want.id === undefined || el.id === want.id) && (want.role === undefined || el.getAttribute('role') === want.role)
        && (want.text === undefined || text === want.text) && (want.textStart === undefined || text.startsWith(want.textStart));
    }, target);
    if (found) return presses;
  }
  throw new Error(`${describe} cannot be reached with Tab`);
}

async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return false;
    const style = getComputedStyle(el);
    return el.matches(':focus-visible') && (style.outlineStyle !== 'none' || style.boxShadow !== 'none');
  });
}

test('sign up and deploy a template with the keyboard alone', async (t) => {
  const { page, problems } = await openSession(t, await platform());
  await page.goto('/signup');
  const name = `kb${Date.now().toString(36)}`;
  await tabTo(page, 'the username field', { id: 'username' });
  t.true(await focusIsVisible(page), 'focus is visible');
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(`${name}@example.com`);
  await page.keyboard.press('Tab');
  await page.keyboard.type('keyboard-only-1');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/apps/new');

  await page.getByText('Hello FastAPI', { exact: true }).waitFor();
  await tabTo(page, 'the Hello FastAPI template', { textStart: 'Hello FastAPI' });
  t.true(await focusIsVisible(page));
  await page.keyboard.press('Space');
  t.is(await page.evaluate(() => document.activeElement?.getAttribute('aria-pressed')), 'true');
  await tabTo(page, 'Create and deploy', { text: 'Create and deploy' });
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await waitLive(page, 1);

  // In the code, Tab indents; Ctrl+M (Monaco's documented toggle) makes Tab move focus on to the panels.
  await tabTo(page, 'the code editor', { role: 'textbox' });
  await page.keyboard.press('Control+M');
  await tabTo(page, 'the panel tabs', { role: 'tab' });
  await page.keyboard.press('End');
  t.is(await page.evaluate(() => document.activeElement?.textContent), 'Manifests');
  await page.keyboard.press('ArrowLeft');
  t.is(await page.evaluate(() => document.activeElement?.textContent), 'Test');
  await tabTo(page, 'the path field', { id: 'test-path' });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('/hello/Keyboard');
  await page.keyboard.press('Enter');
  await page.getByTestId('test-response').getByText('Hello, Keyboard!').waitFor();
  t.deepEqual(problems, []);
});
