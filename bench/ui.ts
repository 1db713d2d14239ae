/**
 * bench/ui: the editor UI as it is and as it was (the reference commit, bench/ui-reference.ts), side
 * by side in one run, against `npm start`'s platform on loopback, in Debian's Chromium (playwright-core):
 *   - every script the browser fetches until the login page is interactive, raw and as transferred
 *     (gzip; target ≤ 30 KB);
 *   - a cold direct load of an editor URL (a fresh browser context, so an empty cache), from navigation:
 *       code visible   the file's code shows (a plain view or Monaco; target ≤ 300 ms),
 *       first key      a typed character reached the editor's store (the toolbar says "Unsaved changes"),
 *       editor ready   Monaco shows that character in its model (target ≤ 600 ms);
 *   - the same with a warm cache;
 *   - the walk: a cold context on the apps list, the app's link clicked at once, to editor ready
 *     (target ≤ 1 s), and the prefetched path: the same after the list had a second of idle time;
 *   - a blank TypeScript app (this checkout only: the reference has none), cold, to editor ready and to
 *     TypeScript's service answering (hovering `app` shows Hono's type): what its lazy chunk and worker cost.
 * RUNS (default 10) of each; median and p99; the ratio to the reference.
 *
 *   npm run bench:ui          BENCH_UI_REF=<commit> picks the reference (default: before issue 17)
 */
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { startBed } from '../test/bed/index.js';
import { openSession, sharedPlatform, signUpInUi } from '../test/helpers/ui.js';
import { printTable, summarize } from './stats.js';
import { buildReference, serveReference } from './ui-reference.js';

const runs = Number(process.env.RUNS ?? 10);
const bed = await startBed(['mongo', 'python', 'chromium']);
Object.assign(process.env, bed.env);
const teardowns: (() => Promise<void> | void)[] = [];
const context = { teardown: (fn: () => Promise<void> | void) => { teardowns.push(fn); } };
const after: (() => Promise<void>)[] = [];
const platform = sharedPlatform({ after: { always: (fn: () => Promise<void>) => { after.push(fn); } } } as never);

/** A word of the blank app's code without spaces (Monaco renders spaces as no-break spaces). */
const codeLine = 'FastAPI()';
const surface = '.plain-editor, .monaco-editor .view-lines';

interface Load { visible: number; firstKey: number; ready: number }

/** Navigation (already started at `begin`) → code visible → a typed character → Monaco holds it. */
async function typeIntoEditor(page: Page, begin: number, line = codeLine): Promise<Load> {
  // The plain view holds the code as its value (not text content); Monaco as rendered lines.
  await page.waitForFunction((line) => {
    type Node = { value?: string; textContent: string | null } | null;
    const doc = (globalThis as unknown as { document: { querySelector(selector: string): Node } }).document;
    const area = doc.querySelector('.plain-editor');
    if (area?.value?.includes(line)) return true;
    return doc.querySelector('.monaco-editor .view-lines')?.textContent?.includes(line) ?? false;
  }, line);
  const visible = performance.now() - begin;
  await page.locator(surface).first().click();
  await page.keyboard.type('Z');
  await page.getByTestId('draft-state').getByText('Unsaved changes').waitFor();
  const firstKey = performance.now() - begin;
  await page.locator('.monaco-editor .view-lines').getByText('Z', { exact: false }).first().waitFor();
  const ready = performance.now() - begin;
  return { visible, firstKey, ready };
}

async function scriptWeight(page: Page, origin: string): Promise<{ raw: number; gzip: number; files: number }> {
  const measured: Promise<{ raw: number; transferred: number }>[] = [];
  let loginPage = true;
  const listener = (response: Response) => {
    if (!loginPage || response.request().resourceType() !== 'script') return;
    measured.push(response.body().then((body) => {
      const gzipped = response.headers()['content-encoding'] === 'gzip';
      const length = Number(response.headers()['content-length'] ?? Number.NaN);
      return { raw: body.length, transferred: gzipped && Number.isFinite(length) ? length : gzipped ? gzipSync(body).length : body.length };
    }));
  };
  page.on('response', listener);
  await page.goto(`${origin}/login`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username or email').fill('x');
  loginPage = false;
  page.off('response', listener);
  const scripts = await Promise.all(measured);
  return { raw: scripts.reduce((n, s) => n + s.raw, 0), gzip: scripts.reduce((n, s) => n + s.transferred, 0), files: scripts.length };
}

try {
  const p = await platform();
  const reference = await buildReference();
  const refServer = await serveReference(reference.dist, p.url);
  teardowns.push(refServer.close);
  const origins = { before: refServer.url, now: p.url } as const;
  const { page } = await openSession(context, p);
  page.on('dialog', (dialog) => void dialog.accept());
  console.log(`bench/ui: Chromium ${p.browser.version()}, ${runs} runs; reference ${reference.commit.slice(0, 12)} (before) against this checkout (now)`);

  console.log('\nJavaScript fetched until the login page is interactive (target ≤ 30 KB gzip)');
  for (const [name, origin] of Object.entries(origins)) {
    const w = await scriptWeight(page, origin);
    console.log(`  ${name.padEnd(6)} ${(w.raw / 1024).toFixed(1)} KB raw, ${(w.gzip / 1024).toFixed(1)} KB gzip over ${w.files} file${w.files === 1 ? '' : 's'}`);
  }

  await signUpInUi(page);
  await page.getByRole('button', { name: 'Create without deploying' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  const editorPath = new URL(page.url()).pathname;
  const cookies = (await page.context().storageState()).cookies;

  const fresh = async (): Promise<{ page: Page; context: BrowserContext }> => {
    const session = await openSession(context, p);
    await session.context.addCookies(cookies);
    session.page.on('dialog', (dialog) => void dialog.accept());
    return session;
  };
  const cold = async (origin: string): Promise<Load> => {
    const session = await fresh();
    const begin = performance.now();
    await session.page.goto(`${origin}${editorPath}`);
    const load = await typeIntoEditor(session.page, begin);
    await session.context.close();
    return load;
  };
  const warmPage: Record<string, Page> = {};
  const warm = async (origin: string): Promise<Load> => {
    warmPage[origin] ??= (await fresh()).page;
    const target = warmPage[origin];
    await target.goto(`${origin}/apps`);
    await target.locator('.app-item a.name').first().waitFor();
    const begin = performance.now();
    await target.goto(`${origin}${editorPath}`);
    return typeIntoEditor(target, begin);
  };
  const walk = async (origin: string, idleMs: number): Promise<Load> => {
    const session = await fresh();
    await session.page.goto(`${origin}/apps`);
    const link = session.page.locator('.app-item a.name').first();
    await link.waitFor();
    if (idleMs) await session.page.waitForTimeout(idleMs);
    const begin = performance.now();
    await link.click();
    const load = await typeIntoEditor(session.page, begin);
    await session.context.close();
    return load;
  };

  const samples: Record<string, Load[]> = {};
  const add = (name: string, load: Load) => (samples[name] ??= []).push(load);
  for (let i = -1; i < runs; i++) {
    for (const [name, origin] of Object.entries(origins)) {
      const results = { cold: await cold(origin), warm: await warm(origin), walk: await walk(origin, 0), prefetched: await walk(origin, 1000) };
      if (i < 0) continue; // the first round warms the server and the disk cache
      for (const [kind, load] of Object.entries(results)) add(`${kind} ${name}`, load);
    }
  }
  const rows = (kind: string, metric: keyof Load): [string, ReturnType<typeof summarize>][] =>
    (['before', 'now'] as const).map((name) => [name, summarize((samples[`${kind} ${name}`] ?? []).map((l) => l[metric]))]);
  printTable('cold direct load of an editor URL → code visible (target ≤ 300 ms)', rows('cold', 'visible'), 'before');
  printTable('cold direct load → first typed character in the editor\'s store', rows('cold', 'firstKey'), 'before');
  printTable('cold direct load → editor ready: Monaco holds the typed character (target ≤ 600 ms)', rows('cold', 'ready'), 'before');
  printTable('warm cache → editor ready', rows('warm', 'ready'), 'before');
  printTable('the walk: apps list (cold) → click the app → editor ready (target ≤ 1 s)', rows('walk', 'ready'), 'before');
  printTable('the walk → code visible', rows('walk', 'visible'), 'before');
  printTable('the prefetched path: a second on the apps list, then click → editor ready', rows('prefetched', 'ready'), 'before');

  // TypeScript apps, on this checkout only.
  await page.goto(`${p.url}/apps/new`);
  await page.getByRole('radio', { name: 'TypeScript (Hono)' }).check();
  await page.getByRole('button', { name: 'Create without deploying' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  const typescriptPath = new URL(page.url()).pathname;
  const typescript: { ready: number[]; types: number[] } = { ready: [], types: [] };
  for (let i = -1; i < runs; i++) {
    const typed = await fresh();
    let begin = performance.now();
    await typed.page.goto(`${p.url}${typescriptPath}`);
    const load = await typeIntoEditor(typed.page, begin, 'Hono();');
    await typed.context.close();
    const hovered = await fresh();
    begin = performance.now();
    await hovered.page.goto(`${p.url}${typescriptPath}`);
    await hovered.page.locator('.monaco-editor .view-line', { hasText: 'Hono();' }).getByText('app', { exact: true }).hover();
    await hovered.page.locator('.monaco-hover', { hasText: /Hono</ }).first().waitFor({ timeout: 60_000 });
    const types = performance.now() - begin;
    await hovered.context.close();
    if (i < 0) continue;
    typescript.ready.push(load.ready);
    typescript.types.push(types);
  }
  printTable('a blank TypeScript app, cold direct load (this checkout)', [
    ['→ editor ready', summarize(typescript.ready)],
    ['→ TypeScript\'s service answers a hover', summarize(typescript.types)],
  ]);
} finally {
  for (const fn of teardowns.reverse()) await fn();
  for (const fn of after) await fn();
  await bed.stop();
}
