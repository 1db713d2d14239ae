/**
 * Every screen, at 1280×800 and 390×844, in the dark and the light theme (the system's
 * prefers-color-scheme, which the UI follows by default): no horizontal scroll, no overlapping boxes,
 * no serious or critical axe-core finding (colour contrast included), and no console error. The
 * screenshots go to test-results/screenshots/<screen>-<theme>-<width>x<height>.png.
 *
 * The first walk signs up the platform's first account (an admin), deploys the Notes template and
 * writes a note through the HTTP explorer; the other walks sign in as that account. Each walk also
 * signs up a new account of its own for the screens of someone with no app yet.
 */
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { checkScreen } from '../helpers/screen-checks.js';
import { appIdOf, openSession, sharedPlatform, signIn, signUpInUi, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);
const viewports = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];
const themes = ['dark', 'light'] as const;

let main: { username: string; password: string; appId: string } | null = null;

async function signOut(page: Page): Promise<void> {
  await page.goto('/account');
  await page.getByRole('button', { name: 'Sign out' }).and(page.locator(':visible')).first().click();
  await page.waitForURL('**/login');
}

/** The first walk's data: the Notes template deployed, one note written through the explorer. */
async function prepareMain(page: Page): Promise<string> {
  await page.goto('/apps/new');
  await page.getByText('Notes API with a database', { exact: true }).click();
  await page.getByRole('button', { name: 'Create and deploy' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await waitLive(page, 1);
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByRole('list', { name: 'Operations' }).getByRole('button', { name: /^POST \/notes\b/ }).click();
  await page.getByLabel('Body', { exact: true }).fill('{"title": "Groceries", "body": "eggs, flour"}');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('response-status').getByText(/^20[01]$/).waitFor();
  return appIdOf(page);
}

for (const theme of themes) {
  for (const viewport of viewports) {
    test.serial(`every screen passes the layout and axe checks at ${viewport.width}×${viewport.height} in the ${theme} theme`, async (t: ExecutionContext) => {
      const p = await platform();
      const { page, problems } = await openSession(t, p, viewport);
      await page.emulateMedia({ colorScheme: theme });
      const check = async (name: string) => {
        t.is(await page.evaluate(() => document.documentElement.dataset.theme), theme, `${name}: the ${theme} theme shows`);
        const report = await checkScreen(page, `${name}-${theme}`);
        t.is(report.horizontalScroll, null, `${name}: horizontal scroll ${JSON.stringify(report.horizontalScroll)}`);
        t.deepEqual(report.overlaps, [], `${name}: overlapping boxes`);
        t.deepEqual(report.axe, [], `${name}: axe`);
      };
      await page.goto('/login');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await check('login');
      await page.goto('/signup');
      await page.getByRole('heading', { name: 'Create an account' }).waitFor();
      await check('signup');

      // Someone with no app yet.
      const account = await signUpInUi(page);
      await page.getByText('Hello FastAPI', { exact: true }).waitFor();
      await page.locator('.code-preview pre').waitFor();
      await check('new-app');
      await page.goto('/apps');
      await page.getByRole('heading', { name: 'No apps yet' }).waitFor();
      await check('apps-empty');
      await page.goto('/databases');
      await page.getByRole('heading', { name: 'New database' }).waitFor();
      await check('databases-empty');
      if (!main) main = { ...account, appId: await prepareMain(page) };
      else {
        await signOut(page);
        await signIn(page, main);
      }
      const { appId } = main;

      await page.goto('/apps');
      await page.locator(`[data-app-id="${appId}"]`).getByText('Running · v1').waitFor();
      await check('apps');
      await page.getByLabel('More actions for Notes API with a database').click();
      await page.getByRole('button', { name: 'Clone…' }).waitFor();
      await check('apps-menu');
      await page.getByRole('button', { name: 'Clone…' }).click();
      await page.getByRole('dialog', { name: /^Clone / }).waitFor();
      await check('clone-dialog');
      await page.keyboard.press('Escape');

      await page.goto(`/apps/${appId}`);
      await page.locator('.monaco-editor').waitFor();
      await page.getByTestId('status').getByText('Running · v1').waitFor();
      await check('editor');
      for (const tab of ['Deploy', 'Logs', 'Test', 'Manifests', 'Problems']) {
        await page.getByRole('tab', { name: tab }).click();
        if (tab === 'Test') await page.getByRole('list', { name: 'Operations' }).waitFor();
        if (tab === 'Manifests') await page.locator('.manifest h3').first().waitFor();
        await check(`editor-${tab.toLowerCase()}`);
      }
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
      await page.getByLabel('Database of this app').waitFor();
      await check('editor-settings');
      await page.keyboard.press('Escape');
      await page.locator('dialog[open]').waitFor({ state: 'detached' });
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await check('shortcuts');
      await page.keyboard.press('Escape');

      await page.goto(`/apps/${appId}/history`);
      await page.getByRole('heading', { name: 'Changes from nothing to version 1' }).waitFor();
      await page.locator('.code-diff .monaco-diff-editor').waitFor();
      await check('history');
      await page.goto(`/apps/${appId}/dashboard`);
      await page.getByTestId('runtime-phase').getByText('Answering with version 1').waitFor();
      // The explorer's POST went through the gateway: its record and rollup fill the metrics' charts.
      await page.getByTestId('chart-latency').waitFor();
      await check('dashboard');

      await page.goto(`/databases?app=${appId}`);
      await page.getByTestId('app-database').waitFor();
      await check('databases');
      await page.getByTestId('app-database').getByRole('link', { name: /^Open / }).click();
      await page.getByRole('button', { name: /^notes\b/ }).click();
      await page.getByRole('list', { name: 'Documents' }).getByText('Groceries').waitFor();
      await check('database');
      await page.getByRole('button', { name: 'Show credentials' }).click();
      await page.getByTestId('credentials').waitFor();
      await check('database-credentials');

      await page.goto('/account');
      await page.getByRole('heading', { name: 'Personal API tokens' }).or(page.getByRole('heading', { name: /tokens/i })).first().waitFor();
      await check('account');
      await page.goto('/device');
      await page.getByRole('heading', { name: 'Sign in a device' }).waitFor();
      await check('device');
      await page.goto('/admin');
      for (const tab of ['Settings', 'Users', 'Apps', 'Templates', 'Stats']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('tabpanel').locator('h2, h3, dt').first().waitFor();
        await check(`admin-${tab.toLowerCase()}`);
      }
      await page.goto('/no/such/page');
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      await check('not-found');
      t.deepEqual(problems, []);
    });
  }
}
