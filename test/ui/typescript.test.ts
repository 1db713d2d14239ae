/**
 * TypeScript apps in the browser (Debian's Chromium against `npm start`'s platform): the new-app page's
 * language choice offers the Hono templates, the list says TypeScript, the app deploys and answers;
 * Monaco's TypeScript service (and its worker) is fetched for TypeScript apps only and knows Hono's and
 * zod's types; the HTMX template works in the browser with htmx served by the app itself, not a CDN.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { appAnswer, appIdOf, openSession, pasteCode, sharedPlatform, signUpInUi, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);

async function createTypeScriptApp(page: Page, template: string, deploy: boolean): Promise<void> {
  await page.getByRole('radio', { name: 'TypeScript (Hono)' }).check();
  await page.getByText(template, { exact: true }).click();
  await page.getByRole('button', { name: deploy ? 'Create and deploy' : 'Create without deploying' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await page.locator('.monaco-editor').waitFor();
}

/** Script URLs the page fetched whose path matches `pattern`. */
function fetched(page: Page, pattern: RegExp): string[] {
  const seen: string[] = [];
  page.on('request', (request) => { if (pattern.test(new URL(request.url()).pathname)) seen.push(request.url()); });
  return seen;
}

test.serial('the language choice offers Hono templates; a TypeScript app deploys, answers, and the list says TypeScript', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await signUpInUi(page);
  const gallery = page.getByRole('list', { name: 'Templates' });
  await gallery.getByText('Hello FastAPI', { exact: true }).waitFor();
  await page.getByRole('radio', { name: 'TypeScript (Hono)' }).check();
  await gallery.getByText('Hello Hono (TypeScript)', { exact: true }).waitFor();
  t.is(await gallery.getByText('Hello FastAPI', { exact: true }).count(), 0, 'Python templates are not offered for a TypeScript app');
  t.true(await gallery.getByText('Blank Hono app').isVisible());
  await gallery.getByText('Hello Hono (TypeScript)', { exact: true }).click();
  await page.getByRole('button', { name: 'Create and deploy' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await waitLive(page, 1);
  t.regex((await appAnswer(p, page, '/hello/Ada')).text, /Hello, Ada!/);
  const appId = appIdOf(page);
  await page.goto('/apps');
  t.is(await page.locator(`[data-app-id="${appId}"] .badge.language`).innerText(), 'TypeScript');
  t.deepEqual(problems, []);
});

test.serial("Monaco's TypeScript service loads for TypeScript apps only, and completes and checks with Hono's and zod's types", async (t) => {
  // Its waits (the worker's first answer, each completion asked again) pass ava's 2-minute quiet limit on a loaded machine.
  t.timeout(5 * 60_000);
  const p = await platform();
  const python = await openSession(t, p);
  const pythonChunks = fetched(python.page, /monaco-typescript|ts\.worker/);
  await signUpInUi(python.page);
  await python.page.getByRole('button', { name: 'Create without deploying' }).click();
  await python.page.locator('.monaco-editor').waitFor();
  await python.page.waitForTimeout(1000);
  t.deepEqual(pythonChunks, [], 'a Python app never fetches the TypeScript service');

  const { page, problems } = await openSession(t, p);
  const chunks = fetched(page, /monaco-typescript|ts\.worker/);
  await signUpInUi(page);
  await createTypeScriptApp(page, 'Hello Hono (TypeScript)', false);
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('monaco-typescript')), undefined, { timeout: 30_000 });
  t.true(chunks.some((u) => u.includes('monaco-typescript')), chunks.join(', '));

  // The template has no type errors (its imports of hono and zod resolve to the runner's declarations):
  // hovering `app` names Hono's type once the worker answers.
  // Monaco renders spaces as no-break spaces (\s matches them) and may keep them in a token's span.
  // Monaco renders spaces as no-break spaces (\s matches them) inside its tokens' spans (` app = `):
  // the pointer goes over the middle of `app` in its span, measured in the monospace font.
  const line = page.locator('.monaco-editor .view-line', { hasText: /const\sapp\s=\snew\sHono\(\);/ });
  const span = line.locator('span span', { hasText: /(^|\s)app(\s|$)/ }).first();
  // The line's spans are replaced when the language service re-tokenizes it: measure again until steady.
  let hovered = false;
  for (let attempt = 0; attempt < 10 && !hovered; attempt++) {
    await span.waitFor({ timeout: 60_000 });
    await span.scrollIntoViewIfNeeded({ timeout: 3000 }).catch(() => {});
    const text = (await span.textContent()) ?? '';
    const box = await span.boundingBox();
    if (box && text.includes('app')) {
      hovered = await span.hover({ position: { x: (box.width * (text.indexOf('app') + 1.5)) / text.length, y: box.height / 2 }, timeout: 3000 }).then(() => true, () => false);
    }
    if (!hovered) await page.waitForTimeout(500);
  }
  t.true(hovered, 'the pointer reached `app` on the line `const app = new Hono();`');
  await page.locator('.monaco-hover', { hasText: /Hono</ }).first().waitFor({ timeout: 60_000 });
  t.is(await page.locator('.monaco-editor .squiggly-error').count(), 0, 'the template checks clean');
  // A type error only the language service can see (the platform's validator does not type-check).
  await pasteCode(page, "import { Hono } from 'hono';\nimport { z } from 'zod';\n\nconst app = new Hono();\nconst count: number = z.string().parse('x');\nexport default app;\n");
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
  // Completion of Hono's API: type `app.` on a new line.
  // Pasted whole, not typed: typed on a loaded machine, a quick suggestion could take a keystroke.
  await pasteCode(page, "import { Hono } from 'hono';\n\nconst app = new Hono();\nexport default app;\napp.");
  await page.keyboard.press('ControlOrMeta+End');
  // The first list can be the word-based fallback, shown while the worker catches up with the paste:
  // ask again (Ctrl+Space) until the language service answers, for up to about two minutes on a loaded machine.
  const suggestions = page.locator('.suggest-widget .monaco-list-row');
  let labels: string[] = [];
  for (let attempt = 0; attempt < 30 && !labels.some((l) => /^get\b/.test(l)); attempt++) {
    if (attempt > 0) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
    await page.keyboard.press('Control+Space');
    // Nothing may show at all before the worker answers: ask again rather than wait on an empty list.
    await suggestions.first().waitFor({ timeout: 3000 }).catch(() => {});
    labels = await suggestions.allInnerTexts();
  }
  const shown = (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\s+/g, ' ');
  t.true(labels.some((l) => /^get\b/.test(l)) && labels.some((l) => /^post\b/.test(l)), `${labels.join(' | ')} ${problems.join('; ')} (the editor shows: ${shown})`);
  await page.keyboard.press('Escape');
  t.deepEqual(problems.filter((m) => !/Canceled/.test(m)), []);
});

test.serial('the HTMX template works in the browser with htmx from the app itself, no CDN', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await signUpInUi(page);
  await createTypeScriptApp(page, 'HTMX page with Hono JSX (TypeScript)', true);
  await waitLive(page, 1);
  const tab = await page.context().newPage();
  const outside: string[] = [];
  tab.on('request', (request) => { if (!request.url().startsWith(`http://app-${appIdOf(page)}.localhost`)) outside.push(request.url()); });
  await tab.goto(`http://app-${appIdOf(page)}.localhost:${p.port}/`);
  await tab.getByRole('button', { name: '+' }).click();
  await tab.locator('output#value', { hasText: /^1$/ }).waitFor({ timeout: 15_000 });
  await tab.getByRole('button', { name: '+' }).click();
  await tab.locator('output#value', { hasText: /^2$/ }).waitFor({ timeout: 15_000 });
  t.deepEqual(outside, [], 'every request stayed on the app');
  await tab.close();
  t.deepEqual(problems, []);
});
