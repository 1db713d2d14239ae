/**
 * The editor's tools in the browser: the file tree (add with folders, rename, delete, a refused name
 * explained, the entry point protected), environment variables (set while the stored ones still load,
 * used by the app, never shown again), and the live logs panel.
 */
import test from 'ava';
import type { Page, Route } from 'playwright-core';
import { routes } from '../../contract/index.js';
import { newUserWithBlankApp, openSession, pasteCode, sharedPlatform, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);


async function addFile(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add file' }).click();
  await page.getByLabel('New file name').fill(name);
  await page.getByLabel('New file name').press('Enter');
}

test.serial('files are added, renamed and deleted; env vars reach the app and are never shown; logs are live', async (t) => {
  const { page, problems } = await openSession(t, await platform());
  page.on('dialog', (dialog) => void dialog.accept());
  await newUserWithBlankApp(page);
  const files = page.getByRole('navigation', { name: 'Files' });
  t.is(await files.getByRole('button', { name: 'Rename app.py' }).count(), 0, 'the entry point cannot be renamed');
  t.is(await files.getByRole('button', { name: 'Delete app.py' }).count(), 0, 'nor deleted');

  await addFile(page, '../escape.py');
  // The validator's own sentence: the editor asks validation/ (its browser-safe core), not a copy of its rules.
  await files.getByRole('alert').getByText('"../escape.py" climbs out of the project with ".."; keep every file inside it.').waitFor();
  await page.getByLabel('New file name').fill('lib/helpers.py');
  await page.getByLabel('New file name').press('Enter');
  await files.getByRole('button', { name: 'lib/helpers.py', exact: true }).waitFor();
  await pasteCode(page, 'GREETING = "hi"\n');
  await addFile(page, 'notes.txt');
  await files.getByRole('button', { name: 'Rename notes.txt' }).click();
  await page.getByLabel('New name for notes.txt').fill('docs/notes.md');
  await page.getByLabel('New name for notes.txt').press('Enter');
  await files.getByRole('button', { name: 'docs/notes.md', exact: true }).waitFor();
  await files.getByRole('button', { name: 'Delete docs/notes.md' }).click();
  await page.getByRole('dialog', { name: 'Delete docs/notes.md?' }).getByRole('button', { name: 'Delete file' }).click();
  await files.getByRole('button', { name: 'docs/notes.md', exact: true }).waitFor({ state: 'detached' });

  await files.getByRole('button', { name: 'app.py', exact: true }).click();
  await pasteCode(page, [
    'import os', '', 'from fastapi import FastAPI', '', 'from lib.helpers import GREETING', '', 'app = FastAPI()', '', '',
    '@app.get("/")', 'def index():', '    print("served /", flush=True)', '    return {"greeting": GREETING, "mode": os.environ.get("MODE", "unset")}', '',
  ].join('\n'));
  await page.keyboard.press('ControlOrMeta+S');
  await page.getByText(/Draft saved \(revision 2\)/).waitFor();

  // The stored variables arrive late (a slow network): a row added meanwhile survives their arrival, and
  // saving waits for them (saving replaces the list, so saving earlier would delete them).
  const slowEnv = async (route: Route) => {
    if (route.request().method() === 'GET') await new Promise((resolve) => setTimeout(resolve, 1000));
    await route.continue();
  };
  const envRoute = `**${routes.getEnv.path.replace(':appId', '*')}`;
  await page.route(envRoute, slowEnv);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Add variable' }).click();
  t.true(await page.getByRole('button', { name: 'Save variables' }).isDisabled(), 'no saving before the stored variables arrived');
  await page.getByRole('status').getByText('Loading the stored variables…').waitFor();
  await page.getByLabel('Name of variable 1').fill('mode');
  await page.getByRole('status').getByText('Loading the stored variables…').waitFor({ state: 'detached' });
  t.is(await page.getByLabel('Name of variable 1').inputValue(), 'MODE', 'the added row is kept');
  await page.unroute(envRoute, slowEnv);
  await page.getByLabel('Value of MODE').fill('blue-secret-value');
  await page.getByRole('button', { name: 'Save variables' }).click();
  await page.getByText('Saved. They apply from the next deploy.').waitFor();

  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitLive(page, 1);
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('test-response').getByText('"mode": "blue-secret-value"').waitFor();
  t.regex(await page.getByTestId('test-response').innerText(), /"greeting": "hi"/);

  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Name of variable 1').waitFor();
  t.is(await page.getByLabel('Value of MODE').inputValue(), '', 'the stored value is not shown');
  t.false((await page.locator('dialog').innerHTML()).includes('blue-secret-value'));
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: 'Logs' }).click();
  await page.getByTestId('logs').getByText('Application startup complete.').waitFor();
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('tab', { name: 'Logs' }).click();
  await page.getByTestId('logs').getByText('served /').last().waitFor();
  t.deepEqual(problems, []);
});
