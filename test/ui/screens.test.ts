/**
 * Each main screen at 1280×800 and 390×844: no horizontal scroll, no overlapping boxes, no serious or
 * critical axe-core finding, and no console error; screenshots go to test-results/screenshots/.
 */
import test from 'ava';
import { checkScreen } from '../helpers/screen-checks.js';
import { openSession, sharedPlatform, signUpInUi, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);
const viewports = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];

for (const viewport of viewports) {
  test(`every main screen passes layout and axe checks at ${viewport.width}×${viewport.height}`, async (t) => {
    const { page, problems } = await openSession(t, await platform(), viewport);
    const check = async (name: string) => {
      const report = await checkScreen(page, name);
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
    await signUpInUi(page);
    await page.getByText('Hello FastAPI', { exact: true }).waitFor();
    await check('new-app');
    await page.goto('/apps');
    await page.getByRole('heading', { name: 'No apps yet' }).waitFor();
    await check('apps-empty');
    await page.goto('/apps/new');
    await page.getByText('Hello FastAPI', { exact: true }).click();
    await page.getByRole('button', { name: 'Create and deploy' }).click();
    await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
    await page.locator('.monaco-editor').waitFor();
    await waitLive(page, 1);
    await page.getByText('Version 1 is live.').waitFor({ state: 'detached', timeout: 10_000 });
    await check('editor');
    for (const tab of ['Logs', 'Test', 'Problems']) {
      await page.getByRole('tab', { name: tab }).click();
      await check(`editor-${tab.toLowerCase()}`);
    }
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings: environment variables' }).waitFor();
    await check('editor-settings');
    await page.keyboard.press('Escape');
    await page.goto('/apps');
    await page.getByRole('link', { name: 'Hello FastAPI' }).first().waitFor();
    await check('apps');
    t.deepEqual(problems, []);
  });
}
