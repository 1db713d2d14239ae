/**
 * bench/ui: against `npm start`'s platform on loopback, in Debian's Chromium (playwright-core):
 *   - every script the browser fetches until the login page is interactive (its form answers), raw and
 *     as transferred (gzip; target ≤ 30 KB);
 *   - navigation → editor ready, where ready means a typed character reached the Monaco model (the
 *     editor's store saw the edit: the toolbar says "Unsaved changes"), RUNS (default 10) times, each
 *     in a fresh browser context (cold cache) and again with a warm cache; target ≤ 1 s;
 *   - the same for a blank TypeScript app, plus navigation → TypeScript's service answers (hovering
 *     `app` shows Hono's type): what the lazily loaded TypeScript chunk and worker cost.
 *
 *   npm run bench:ui
 */
import { gzipSync } from 'node:zlib';
import { startBed } from '../test/bed/index.js';
import { openSession, sharedPlatform, signUpInUi } from '../test/helpers/ui.js';
import { printTable, summarize } from './stats.js';

const runs = Number(process.env.RUNS ?? 10);
const bed = await startBed(['mongo', 'python', 'chromium']);
Object.assign(process.env, bed.env);
const teardowns: (() => Promise<void> | void)[] = [];
const context = { teardown: (fn: () => Promise<void> | void) => { teardowns.push(fn); } };
const after: (() => Promise<void>)[] = [];
const platform = sharedPlatform({ after: { always: (fn: () => Promise<void>) => { after.push(fn); } } } as never);

try {
  const p = await platform();
  const { page } = await openSession(context, p);
  const measured: Promise<{ url: string; raw: number; transferred: number }>[] = [];
  let loginPage = true;
  page.on('response', (response) => {
    if (!loginPage || response.request().resourceType() !== 'script') return;
    // Playwright hands over the decoded body; what crossed the wire is the response's length.
    measured.push(response.body().then((body) => {
      const gzipped = response.headers()['content-encoding'] === 'gzip';
      const length = Number(response.headers()['content-length'] ?? Number.NaN);
      return { url: response.url(), raw: body.length, transferred: gzipped && Number.isFinite(length) ? length : gzipped ? gzipSync(body).length : body.length };
    }));
  });
  await page.goto('/login');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Username or email').fill('x');
  loginPage = false;
  // Every script the login page fetched, its body read to the end (a handler may still be reading one).
  const scripts = await Promise.all(measured);
  const raw = scripts.reduce((n, s) => n + s.raw, 0);
  const gzip = scripts.reduce((n, s) => n + s.transferred, 0);
  console.log(`bench/ui: Chromium ${p.browser.version()}, ${runs} runs`);
  console.log('\nJavaScript fetched until the login page is interactive (target ≤ 30 KB gzip)');
  for (const s of scripts) console.log(`  ${new URL(s.url).pathname}  ${(s.raw / 1024).toFixed(1)} KB raw, ${(s.transferred / 1024).toFixed(1)} KB gzip`);
  console.log(`  total: ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip over ${scripts.length} file${scripts.length === 1 ? '' : 's'}`);

  await signUpInUi(page);
  await page.getByRole('button', { name: 'Create without deploying' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  const pythonUrl = page.url();
  await page.goto('/apps/new');
  await page.getByRole('radio', { name: 'TypeScript (Hono)' }).check();
  await page.getByRole('button', { name: 'Create without deploying' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  const typescriptUrl = page.url();
  let editorUrl = pythonUrl;
  /** With `typed`: until TypeScript's service answers a hover, instead of until a typed character lands. */
  let untilTypes = false;
  const measure = async (fresh: boolean): Promise<number> => {
    const session = fresh ? await openSession(context, p) : null;
    const target = session?.page ?? page;
    if (session) {
      // The new context signs in through the API (cookies), outside the timed part.
      const state = await page.context().storageState();
      await session.context.addCookies(state.cookies);
    } else {
      await target.goto('/apps');
    }
    const begin = performance.now();
    await target.goto(editorUrl);
    if (untilTypes) {
      await target.locator('.monaco-editor .view-line', { hasText: 'const app = new Hono();' }).getByText('app', { exact: true }).hover();
      await target.locator('.monaco-hover', { hasText: /Hono</ }).first().waitFor({ timeout: 60_000 });
    } else {
      await target.locator('.monaco-editor .view-lines').click();
      await target.keyboard.type('Z');
      await target.getByTestId('draft-state').getByText('Unsaved changes').waitFor();
    }
    const elapsed = performance.now() - begin;
    if (session) await session.context.close();
    return elapsed;
  };
  page.on('dialog', (dialog) => void dialog.accept());
  const series = () => ({ cold: [] as number[], warm: [] as number[] });
  const python = series();
  const typescript = series();
  const types = series();
  // Interleaved, so a busy moment of the machine weighs on every variant alike.
  for (let i = -1; i < runs; i++) {
    for (const [url, byTypes, into] of [[pythonUrl, false, python], [typescriptUrl, false, typescript], [typescriptUrl, true, types]] as const) {
      editorUrl = url;
      untilTypes = byTypes;
      const c = await measure(true);
      const w = await measure(false);
      if (i >= 0) {
        into.cold.push(c);
        into.warm.push(w);
      }
    }
  }
  printTable('navigation → editor ready (a typed character reached the Monaco model; target ≤ 1 s)', [
    ['Python app, cold cache (fresh context)', summarize(python.cold)],
    ['Python app, warm cache', summarize(python.warm)],
    ['TypeScript app, cold cache', summarize(typescript.cold)],
    ['TypeScript app, warm cache', summarize(typescript.warm)],
  ], 'Python app, cold cache (fresh context)');
  printTable("navigation → TypeScript's service answers (hover shows Hono's type): the lazy TypeScript chunk and worker", [
    ['TypeScript app, cold cache', summarize(types.cold)],
    ['TypeScript app, warm cache', summarize(types.warm)],
  ]);
} finally {
  for (const fn of teardowns.reverse()) await fn();
  for (const fn of after) await fn();
  await bed.stop();
}
