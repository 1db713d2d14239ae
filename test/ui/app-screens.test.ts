/**
 * An app's other screens in Debian's Chromium against `npm start`'s platform: history (a multi-file
 * diff in Monaco's diff editor, rollback in place, the app serving the old code), the manifests beside
 * the code, and the dashboard (a failing request with its traceback, the failed-only filter); each at
 * 1280×800 and 390×844 through the layout and axe-core checks.
 */
import test, { type ExecutionContext } from 'ava';
import type { Locator, Page } from 'playwright-core';
import { checkScreen } from '../helpers/screen-checks.js';
import { appAnswer, appIdOf, newUserWithBlankApp, openSession, pageApi, pasteCode, sharedPlatform, signUpInUi, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);
// Tests that paste code share the browser's one clipboard, so they run one at a time (test.serial).

const appCode = [
  'from fastapi import FastAPI', '', 'from lib.greeting import message', '', 'app = FastAPI()', '', '',
  '@app.get("/")', 'def index():', '    return {"message": message()}', '', '',
  '@app.get("/boom")', 'def boom():', '    return {"ratio": 1 / 0}', '',
].join('\n');
const greeting = (word: string) => `def message():\n    return "${word}"\n`;

/** A blank app turned into two modules (app.py imports lib/greeting.py), deployed as version 1. */
async function twoModuleApp(page: Page): Promise<void> {
  await newUserWithBlankApp(page);
  await page.getByRole('button', { name: 'Add file' }).click();
  await page.getByLabel('New file name').fill('lib/greeting.py');
  await page.getByLabel('New file name').press('Enter');
  await pasteCode(page, greeting('first_edition'));
  await page.getByRole('navigation', { name: 'Files' }).getByRole('button', { name: 'app.py', exact: true }).click();
  await pasteCode(page, appCode);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitLive(page, 1);
}

async function redeployGreeting(page: Page, word: string, version: number): Promise<void> {
  await page.getByRole('navigation', { name: 'Files' }).getByRole('button', { name: 'lib/greeting.py', exact: true }).click();
  await pasteCode(page, greeting(word));
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitLive(page, version);
}

const buttonTexts = async (list: Locator) => (await list.getByRole('button').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());

async function passesChecks(t: ExecutionContext, page: Page, name: string): Promise<void> {
  const report = await checkScreen(page, name);
  t.is(report.horizontalScroll, null, `${name}: horizontal scroll ${JSON.stringify(report.horizontalScroll)}`);
  t.deepEqual(report.overlaps, [], `${name}: overlapping boxes`);
  t.deepEqual(report.axe, [], `${name}: axe`);
}

test.serial('history shows the diff of a second module and rolls back in place; the app serves the old code', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await twoModuleApp(page);
  await redeployGreeting(page, 'second_edition', 2);
  t.regex((await appAnswer(p, page)).text, /second_edition/);
  const appId = appIdOf(page);

  // The diff worker starts slowly, as on a busy machine: the comparison is changed below while the first
  // diff still waits for it, and a diff replaced before it finished must raise no error.
  await page.route('**/assets/editor.worker-*.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.goto(`/apps/${appId}/history`);
  await page.evaluate(() => { (window as unknown as { stayed: string }).stayed = 'same document'; });
  await page.getByRole('heading', { name: 'Changes from version 1 to version 2' }).waitFor();
  const changed = page.getByRole('list', { name: 'Changed files' });
  // The heading follows the choice at once; the list once both versions' files arrived.
  await changed.getByRole('button', { name: 'changed lib/greeting.py' }).waitFor();
  t.deepEqual(await buttonTexts(changed), ['changed lib/greeting.py'], 'only the second module changed');
  await page.locator('.code-diff .editor.original .view-lines').getByText('first_edition').waitFor();
  await page.locator('.code-diff .editor.modified .view-lines').getByText('second_edition').waitFor();

  await page.getByLabel('From', { exact: true }).selectOption('none');
  await page.getByRole('heading', { name: 'Changes from nothing to version 2' }).waitFor();
  await changed.getByRole('button', { name: 'added app.py' }).waitFor();
  t.deepEqual((await buttonTexts(changed)).sort(), ['added app.py', 'added lib/greeting.py']);
  await changed.getByRole('button', { name: 'added app.py' }).click();
  await page.locator('.code-diff .editor.modified .view-lines').getByText('FastAPI()').waitFor();
  // A narrow window shows the diff inline; a wide one side by side again.
  await page.setViewportSize({ width: 700, height: 800 });
  await page.locator('.code-diff .monaco-diff-editor:not(.side-by-side)').waitFor();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('.code-diff .monaco-diff-editor.side-by-side').waitFor();

  await page.getByRole('navigation', { name: 'Versions' }).getByRole('button', { name: /Version 1\b/ }).click();
  await page.getByRole('button', { name: 'Roll back to version 1…' }).click();
  await page.getByRole('dialog', { name: 'Roll back to version 1?' }).getByRole('button', { name: 'Roll back to version 1' }).click();
  await page.getByText('Rolled back: version 3, the files of version 1, is live.').waitFor({ timeout: 60_000 });
  t.regex((await appAnswer(p, page, '/', appId)).text, /first_edition/, 'the app serves version 1\'s code again');
  t.is(await page.evaluate(() => (window as unknown as { stayed?: string }).stayed), 'same document', 'no page load');
  await page.getByRole('navigation', { name: 'Versions' }).getByRole('button', { name: /Version 3\b.*Live.*files of version 1/s }).waitFor();
  const draft = await pageApi(page).getDraft({ params: { appId } });
  t.is(draft.files['lib/greeting.py'], greeting('first_edition'), 'the draft holds what runs');
  // Back to the editor in the same document: its chunk is already loaded, and it opens on the rolled-back files.
  await page.getByRole('link', { name: 'Editor' }).click();
  await page.getByRole('navigation', { name: 'Files' }).getByRole('button', { name: 'lib/greeting.py', exact: true }).click();
  await page.locator('.monaco-editor .view-lines').getByText('first_edition').waitFor();
  t.is(await page.evaluate(() => (window as unknown as { stayed?: string }).stayed), 'same document');

  const other = await openSession(t, p);
  await signUpInUi(other.page);
  await other.page.goto(`/apps/${appId}/history`);
  await other.page.getByText('There is no app at this address, or it is not yours.').waitFor();
  t.deepEqual(problems, []);
});

test.serial('leaving the editor with unsaved edits asks first; staying keeps them', async (t) => {
  const { page, problems } = await openSession(t, await platform());
  await newUserWithBlankApp(page);
  const appId = appIdOf(page);
  await pasteCode(page, 'from fastapi import FastAPI\n\napp = FastAPI()  # unsaved edit\n');
  await page.getByTestId('draft-state').getByText('Unsaved changes').waitFor();
  const questions: string[] = [];
  page.once('dialog', (dialog) => { questions.push(dialog.message()); void dialog.dismiss(); });
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByTestId('draft-state').getByText('Unsaved changes').waitFor();
  t.deepEqual(questions, ['This app has unsaved changes. Leave without saving them?']);
  t.true(page.url().endsWith(`/apps/${appId}`), 'stayed in the editor');
  page.once('dialog', (dialog) => { questions.push(dialog.message()); void dialog.accept(); });
  await page.getByRole('link', { name: 'History' }).click();
  await page.waitForURL(`**/apps/${appId}/history`);
  t.is(questions.length, 2);
  await page.getByText('No version yet: each deploy publishes one.').waitFor();
  t.deepEqual(problems, []);
});

test.serial('the manifests beside the code are the app\'s six objects with their real names', async (t) => {
  const { page, problems } = await openSession(t, await platform());
  await newUserWithBlankApp(page);
  const appId = appIdOf(page);
  await page.getByRole('tab', { name: 'Manifests' }).click();
  const headings = page.locator('.manifest h3');
  // The code ConfigMap and env Secret are named by their content's hash (one immutable pair per version).
  const expected = [`ConfigMap app-${appId}-code-#`, `Secret app-${appId}-env-#`, `Deployment app-${appId}`, `Service app-${appId}`, `IngressRoute app-${appId}`, `NetworkPolicy app-${appId}`];
  const shown = async () => (await headings.allInnerTexts()).map((h) => h.replace(/-[0-9a-f]{10}$/, '-#')).sort();
  await page.getByText('as the next deploy would apply them').waitFor();
  t.deepEqual(await shown(), [...expected].sort(), 'before a deploy: the draft\'s objects');

  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitLive(page, 1);
  await page.getByRole('tab', { name: 'Manifests' }).click();
  await page.getByLabel('Applied (version 1)').check();
  await page.getByText('6 objects. Secret values are masked.').waitFor();
  t.deepEqual(await shown(), [...expected].sort());
  const deployment = await page.getByLabel(`YAML of Deployment app-${appId}`).innerText();
  t.regex(deployment, /mountPath: \/code/);
  t.regex(deployment, /containerPort: 8000/);
  t.regex(await page.getByLabel(`YAML of IngressRoute app-${appId}`).innerText(), new RegExp(`Host\\(\`app-${appId}\\.`));
  t.deepEqual(problems, []);
});

test.serial('a failing request appears on the dashboard with its traceback, its own frame linked to the editor', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await twoModuleApp(page);
  const appId = appIdOf(page);
  t.is((await appAnswer(p, page, '/boom')).status, 500);
  t.is((await appAnswer(p, page, '/')).status, 200);

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.waitForURL(`**/apps/${appId}/dashboard`);
  await page.getByTestId('runtime-phase').getByText('Answering with version 1').waitFor();
  const requests = page.getByTestId('requests');
  await requests.getByText('/boom').waitFor();
  await requests.getByText('/', { exact: true }).waitFor();
  await requests.locator('summary', { hasText: '/boom' }).click();
  const traceback = page.getByLabel('Traceback of GET /boom');
  await traceback.waitFor();
  t.regex(await traceback.innerText(), /ZeroDivisionError/);
  // The app's own frame is marked and linked; the framework's frames are folded until asked for.
  t.regex(await traceback.innerText(), /app\.py:15 in boom · your code/);
  t.notRegex(await traceback.innerText(), /site-packages/);
  await traceback.locator('summary', { hasText: /^\d+ framework frames?$/ }).first().click();
  t.regex(await traceback.innerText(), /site-packages\/(starlette|fastapi)\//);
  await requests.getByText('ZeroDivisionError', { exact: true }).waitFor();

  await page.getByLabel('Failed only').check();
  await requests.getByText('/', { exact: true }).waitFor({ state: 'detached' });
  t.is(await requests.getByText('/boom').count(), 1);
  await page.getByRole('heading', { name: 'Logs' }).waitFor();
  await page.getByTestId('logs').getByText('ZeroDivisionError').first().waitFor();
  await traceback.getByRole('link', { name: 'app.py:15' }).click();
  await page.waitForURL(`**/apps/${appId}?file=app.py&line=15`);
  await page.locator('.monaco-editor .line-numbers.active-line-number', { hasText: /^15$/ }).waitFor();
  t.deepEqual(problems, []);
});

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test.serial(`history, dashboard and manifests pass layout and axe checks at ${viewport.width}×${viewport.height}`, async (t) => {
    const p = await platform();
    const { page, problems } = await openSession(t, p, viewport);
    await twoModuleApp(page);
    await redeployGreeting(page, 'second_edition', 2);
    const appId = appIdOf(page);
    await appAnswer(p, page, '/boom');
    await page.getByRole('tab', { name: 'Manifests' }).click();
    await page.getByText('6 objects. Secret values are masked.').waitFor();
    await passesChecks(t, page, 'editor-manifests');
    await page.goto(`/apps/${appId}/history`);
    await page.locator('.code-diff .editor.modified .view-lines').getByText('second_edition').waitFor();
    await passesChecks(t, page, 'history');
    await page.goto(`/apps/${appId}/dashboard`);
    await page.getByTestId('requests').locator('summary', { hasText: '/boom' }).click();
    await page.getByLabel('Traceback of GET /boom').waitFor();
    await passesChecks(t, page, 'dashboard');
    t.deepEqual(problems, []);
  });
}
