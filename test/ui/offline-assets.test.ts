/**
 * Apps work without the internet (this machine reaches no CDN): a FastAPI template's /docs renders its
 * operations and /redoc its document, and a FastHTML template's page is styled by Pico and its HTMX
 * button works, each with every request the page made answered by the app's own host.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { appIdOf, openSession, sharedPlatform, signUpInUi, waitLive, type UiPlatform } from '../helpers/ui.js';

const platform = sharedPlatform(test);

async function deployTemplate(page: Page, title: string): Promise<string> {
  await signUpInUi(page);
  await page.getByText(title, { exact: true }).click();
  await page.getByRole('button', { name: 'Create and deploy' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await waitLive(page, 1);
  return appIdOf(page);
}

/** Opens the app's page in a tab, recording every request's host; returns the tab and the hosts asked. */
async function openRecorded(p: UiPlatform, page: Page, appId: string, path: string): Promise<{ tab: Page; offHost: string[]; failed: string[] }> {
  const tab = await page.context().newPage();
  const host = `app-${appId}.localhost:${p.port}`;
  const offHost: string[] = [];
  const failed: string[] = [];
  tab.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.host !== host) offHost.push(request.url());
  });
  tab.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText ?? ''}`));
  tab.on('response', (response) => { if (response.status() >= 400) failed.push(`${response.url()}: ${response.status()}`); });
  await tab.goto(`http://${host}${path}`, { waitUntil: 'load' });
  return { tab, offHost, failed };
}

test('/docs and /redoc of a FastAPI template render with nothing asked off-host', async (t) => {
  const p = await platform();
  const { page } = await openSession(t, p);
  const appId = await deployTemplate(page, 'Hello FastAPI');
  const docs = await openRecorded(p, page, appId, '/docs');
  // Swagger UI rendered the operations of the app's own document.
  await docs.tab.locator('.opblock-summary-path').first().waitFor({ timeout: 20_000 });
  const paths = await docs.tab.locator('.opblock-summary-path').allInnerTexts();
  t.true(paths.some((path) => path.includes('/hello/')), `operations shown: ${paths.join(', ')}`);
  t.deepEqual(docs.offHost, [], 'nothing requested off-host');
  t.deepEqual(docs.failed, []);
  const redoc = await openRecorded(p, page, appId, '/redoc');
  await redoc.tab.locator('[data-section-id^="operation/"]').first().waitFor({ timeout: 20_000 });
  t.deepEqual(redoc.offHost, [], 'nothing requested off-host');
  t.deepEqual(redoc.failed, []);
});

test('a FastHTML template is styled by Pico and its HTMX button works, with nothing asked off-host', async (t) => {
  const p = await platform();
  const { page } = await openSession(t, p);
  const appId = await deployTemplate(page, 'Hello FastHTML');
  const { tab, offHost, failed } = await openRecorded(p, page, appId, '/');
  // Pico's stylesheet applied: its font-family for the body, which the browser's default is not.
  const font = await tab.evaluate(() => getComputedStyle(document.body).fontFamily);
  t.regex(font, /system-ui|-apple-system|Segoe UI/i, `Pico's font stack, not the default: ${font}`);
  t.true(await tab.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx === 'object'), 'htmx loaded');
  t.true(await tab.evaluate(() => typeof (window as unknown as { me?: unknown }).me === 'function' && typeof (window as unknown as { proc_htmx?: unknown }).proc_htmx === 'function'), 'the Surreal and fasthtml-js helpers loaded');
  const before = await tab.locator('body').innerText();
  await tab.getByRole('button').first().click();
  await tab.waitForFunction((text) => document.body.innerText !== text, before, { timeout: 10_000 });
  t.true(tab.url().endsWith('/'), 'swapped in place by HTMX, no navigation');
  t.deepEqual(offHost, [], 'nothing requested off-host');
  t.deepEqual(failed, []);
});
