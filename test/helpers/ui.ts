/**
 * Browser tests against `npm start`'s platform: one platform (the launcher, its own data directory,
 * the bed's MongoDB server for speed) and one Debian Chromium (playwright-core) per test file, a fresh
 * browser context (cookies, storage) per test. Console errors and page errors are collected, so a test
 * can assert the page ran clean.
 */
import type { TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ApiError, createClient, type Client } from '../../contract/index.js';
import { freePort } from '../../scripts/lib/ports.js';
import { chromiumPath, mongoUri, uniqueName } from './bed.js';
import { launch, shellEnv, type Launched } from './platform-process.js';

export interface UiPlatform {
  readonly url: string;
  readonly port: number;
  readonly browser: Browser;
}

export interface UiSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught exceptions so far (expected 401s of the session check excluded). */
  readonly problems: string[];
}

/**
 * Registers the file's teardown and returns a getter that starts the platform and browser once;
 * `env` adds to the platform's environment (e.g. a faster sleep sweep).
 */
export function sharedPlatform(test: TestFn, env: Readonly<Record<string, string>> = {}): () => Promise<UiPlatform> {
  let started: Promise<{ platform: UiPlatform; launched: Launched; dataDir: string }> | undefined;
  test.after.always(async () => {
    if (!started) return;
    const { platform, launched, dataDir } = await started;
    await platform.browser.close();
    launched.child.kill('SIGTERM');
    await launched.exited;
    await rm(dataDir, { recursive: true, force: true });
  });
  return async () => {
    started ??= (async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'fp-ui-'));
      const port = await freePort();
      const mongo = new URL(mongoUri());
      mongo.pathname = `/${uniqueName('ui').replace(/-/g, '_')}`;
      const launched = await launch(shellEnv({
        DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', MONGO_URI: mongo.toString(),
        SECRET_KEY: randomBytes(32).toString('hex'), LOGIN_RATE_PER_MINUTE: '1000', ...env,
      }), port);
      const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
      return { platform: { url: `http://localhost:${port}`, port, browser }, launched, dataDir };
    })();
    return (await started).platform;
  };
}

export async function openSession(t: { teardown(fn: () => Promise<void>): void }, platform: UiPlatform, viewport = { width: 1280, height: 800 }): Promise<UiSession> {
  const context = await platform.browser.newContext({ viewport, baseURL: platform.url });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platform.url });
  t.teardown(() => context.close());
  // tsx compiles test code with keepNames: functions passed to page.evaluate call its __name helper.
  await context.addInitScript({ content: 'window.__name = (fn) => fn;' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Signed-out pages ask /api/auth/me first; its 401 is the answer "not signed in".
    if (/401 \(Unauthorized\)/.test(message.text())) return;
    problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

/**
 * The shared typed client (contract/) as the page's signed-in browser: its cookies, through Playwright's
 * request context. Reads only: a cookie session's unsafe requests would need the page's CSRF token.
 */
export function pageApi(page: Page): Client {
  return createClient({
    fetch: async (url, init) => {
      const res = await page.request.fetch(String(url), {
        method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, failOnStatusCode: false,
        ...(typeof init?.body === 'string' ? { data: init.body } : {}),
      });
      return new Response([204, 304].includes(res.status()) ? null : await res.text(), { status: res.status(), headers: res.headers() });
    },
  });
}

/** The status a call of the shared client ended with: 200 for success, else its ApiError's. */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

let counter = 0;

/** Signs up through the UI's form; ends on the new-app page. */
export async function signUpInUi(page: Page, name = `ui${++counter}${randomBytes(3).toString('hex')}`): Promise<{ username: string; password: string }> {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  await page.goto('/signup');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Email').fill(`${name}@example.com`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/apps/new');
  return { username: name, password };
}

/** Signs in through the login form; ends on the apps list. */
export async function signIn(page: Page, account: { readonly username: string; readonly password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/apps');
}

/** Signs up and creates a blank app without deploying it; ends in its editor, Monaco loaded. */
export async function newUserWithBlankApp(page: Page): Promise<void> {
  await signUpInUi(page);
  await page.getByRole('button', { name: 'Create without deploying' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await page.locator('.monaco-editor').waitFor();
}

/** The app id from the editor's URL. */
export function appIdOf(page: Page): string {
  const id = /\/apps\/([a-z0-9]{10})/.exec(page.url())?.[1];
  if (!id) throw new Error(`not on an app's page: ${page.url()}`);
  return id;
}

/**
 * Replaces the active file's text as a person pasting it would: the text on the clipboard, select
 * all, Ctrl/Cmd+V (typing it key by key would get Monaco's auto-indent on every new line). The
 * clipboard is the browser's, shared by a file's tests: tests that paste must be test.serial.
 */
export async function pasteCode(page: Page, code: string): Promise<void> {
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

/** What the app of the page's editor answers at `path`, fetched in its own tab at http://app-<id>.localhost:<port>. */
export async function appAnswer(p: UiPlatform, page: Page, path = '/', appId = appIdOf(page)): Promise<{ status: number; text: string }> {
  const tab = await page.context().newPage();
  try {
    const res = await tab.goto(`http://app-${appId}.localhost:${p.port}${path}`);
    return { status: res?.status() ?? 0, text: await tab.locator('body').innerText() };
  } finally {
    await tab.close();
  }
}

/**
 * Waits for the editor's "Version N is live." toast. A deploy that failed fails the test at once with the
 * editor's own notice; one that neither went live nor failed within 60 s fails with what the page showed.
 */
export async function waitLive(page: Page, version: number): Promise<void> {
  const live = page.getByText(`Version ${version} is live.`);
  const failed = page.getByTestId('deploy-notice').filter({ hasText: `Version ${version} did not start` });
  try {
    await live.or(failed).first().waitFor({ timeout: 60_000 });
  } catch (error) {
    const shown = await page.locator('main').innerText().catch(() => '(the page is gone)');
    throw new Error(`version ${version} was not live after 60 s; the page showed:\n${shown}`, { cause: error });
  }
  if (await failed.isVisible()) throw new Error(`the deploy of version ${version} failed: ${await failed.innerText()}`);
}
