/**
 * The editor's core loop in Debian's Chromium against `npm start`'s platform: sign up → pick a template
 * → deploy → the app answers → edit → deploy → new content; a syntax error is marked on its line and
 * blocks deploy with a sentence; a crashing app shows its failure line and takes you there; a double
 * click makes one app; the test panel works after a reload; another user cannot see the app.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { appAnswer, appIdOf, newUserWithBlankApp, openSession, pageApi, pasteCode, sharedPlatform, signUpInUi, statusOf, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);
// Tests that paste code share the browser's one clipboard, so they run one at a time (test.serial).


async function createFromTemplate(page: Page, template: string): Promise<void> {
  await page.getByText(template, { exact: true }).click();
  await page.getByRole('button', { name: 'Create and deploy' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await page.locator('.monaco-editor').waitFor();
}

test.serial('sign up, deploy a template, the app answers; edit and deploy again, the new content answers', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await signUpInUi(page);
  await createFromTemplate(page, 'Hello FastAPI');
  await waitLive(page, 1);
  await page.getByText('Running · v1').waitFor();
  t.regex((await appAnswer(p, page)).text, /Hello from FastAPI!/);
  await pasteCode(page, 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"message": "Edited in the browser"}\n');
  await page.getByTestId('draft-state').getByText('Unsaved changes').waitFor();
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitLive(page, 2);
  await page.getByText('Running · v2').waitFor();
  t.regex((await appAnswer(p, page)).text, /Edited in the browser/);
  t.deepEqual(problems, []);
});

test.serial('a syntax error is marked on its line and blocks deploy with a sentence', async (t) => {
  const p = await platform();
  const { page } = await openSession(t, p);
  await newUserWithBlankApp(page);
  await pasteCode(page, 'from fastapi import FastAPI\napp = FastAPI()\ndef broken(:\n    pass\n');
  const problemsTab = page.getByRole('tab', { name: /^Problems \(\d+\)$/ });
  await problemsTab.waitFor({ timeout: 15_000 });
  await problemsTab.click();
  t.is(await problemsTab.innerText(), 'Problems (1)');
  t.regex(await page.getByRole('tabpanel').innerText(), /app\.py:3/);
  // The squiggle sits on line 3 of the editor.
  const squiggle = await page.locator('.monaco-editor .squiggly-error').first().boundingBox();
  const lineThree = await page.locator('.monaco-editor .line-numbers', { hasText: /^3$/ }).boundingBox();
  t.truthy(squiggle && lineThree);
  t.true(Math.abs((squiggle?.y ?? 0) - (lineThree?.y ?? 100)) < 4, `squiggle at ${squiggle?.y}, line 3 at ${lineThree?.y}`);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  const notice = page.getByTestId('deploy-notice');
  await notice.waitFor();
  t.regex(await notice.innerText(), /The draft has 1 problem to fix before it can deploy: app\.py:3/);
  t.false((await notice.innerText()).includes('[object Object]'));
});

test.serial('a crashing app shows its failure line, and the link goes to the file and line', async (t) => {
  const p = await platform();
  const { page } = await openSession(t, p);
  await newUserWithBlankApp(page);
  await pasteCode(page, 'from fastapi import FastAPI\n\napp = FastAPI()\nraise RuntimeError("the database is not configured")\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  const notice = page.getByTestId('deploy-notice');
  await notice.getByText('did not start').waitFor({ timeout: 60_000 });
  t.regex(await notice.innerText(), /Version 1 did not start: RuntimeError: the database is not configured/);
  await notice.getByRole('button', { name: 'Go to app.py:4' }).click();
  await page.locator('.monaco-editor .line-numbers.active-line-number', { hasText: /^4$/ }).waitFor();
  // Nothing ever ran: the header says v1 failed, and nothing serves.
  await page.locator('.editor-toolbar').getByText('v1 failed', { exact: true }).waitFor();
  await page.getByTestId('draft-state').getByText('Version 1 failed to start; nothing serves.').waitFor();
  t.pass();
});

test('double-clicking "Create and deploy" makes one app', async (t) => {
  const p = await platform();
  const { page } = await openSession(t, p);
  await signUpInUi(page);
  await page.getByText('Hello FastHTML', { exact: true }).click();
  await page.getByRole('button', { name: 'Create and deploy' }).dblclick();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await waitLive(page, 1);
  const list = await pageApi(page).listApps();
  t.deepEqual(list.apps.map((a) => a.id), [appIdOf(page)]);
  // Deploying again with nothing changed is a no-op, also when clicked twice.
  await page.getByRole('button', { name: 'Deploy', exact: true }).dblclick();
  await page.getByText('already runs this code').first().waitFor();
  const versions = await pageApi(page).listVersions({ params: { appId: appIdOf(page) } });
  t.is(versions.versions.length, 1);
});

test('the test panel works after a reload, with its history', async (t) => {
  const p = await platform();
  const { page } = await openSession(t, p);
  await signUpInUi(page);
  await createFromTemplate(page, 'Hello FastAPI');
  await waitLive(page, 1);
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByLabel('Path').fill('/hello/Ada');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('test-response').getByText('Hello, Ada!').waitFor();
  t.is(await page.getByTestId('response-status').innerText(), '200');
  t.regex(await page.getByTestId('test-response').innerText(), /\d+ ms/);
  await page.reload();
  await page.getByRole('tab', { name: 'Test' }).click();
  t.is(await page.getByLabel('Path').inputValue(), '/hello/Ada');
  await page.getByRole('button', { name: /GET \/hello\/Ada/ }).waitFor();
  await page.getByLabel('Path').fill('/hello/Grace');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('test-response').getByText('Hello, Grace!').waitFor();
  t.pass();
});

test('a second user cannot see the first user\'s app', async (t) => {
  const p = await platform();
  const first = await openSession(t, p);
  await signUpInUi(first.page);
  await first.page.getByRole('button', { name: 'Create without deploying' }).click();
  await first.page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  const appId = appIdOf(first.page);
  const second = await openSession(t, p);
  await signUpInUi(second.page);
  await second.page.goto(`/apps/${appId}`);
  await second.page.getByRole('alert').getByText('There is no app at this address, or it is not yours.').waitFor();
  await second.page.goto('/apps');
  await second.page.getByRole('heading', { name: 'No apps yet' }).waitFor();
  t.is(await statusOf(pageApi(second.page).getApp({ params: { appId } })), 404);
});
