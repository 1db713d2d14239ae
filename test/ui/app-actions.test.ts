/**
 * Clone and delete, from the apps list and from the editor, through the platform's own dialogs: a
 * clone has the draft's files and opens in its editor; a deleted app leaves the list, stops answering,
 * and Cancel deletes nothing.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { appAnswer, appIdOf, newUserWithBlankApp, openSession, pageApi, pasteCode, sharedPlatform, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);

async function more(page: Page, name: string): Promise<void> {
  await page.getByLabel(`More actions for ${name}`).click();
}

test.serial('clone from the editor and from the list, each with its own name, each with the draft\'s files', async (t) => {
  const { page, problems } = await openSession(t, await platform());
  await newUserWithBlankApp(page);
  const original = appIdOf(page);
  await pasteCode(page, 'from fastapi import FastAPI\n\napp = FastAPI()  # the original\n');
  await page.keyboard.press('ControlOrMeta+S');
  await page.getByText(/Draft saved/).waitFor();
  const name = (await page.locator('.editor-toolbar h1').innerText()).trim();
  await more(page, name);
  await page.getByRole('button', { name: 'Clone…' }).click();
  const dialog = page.getByRole('dialog', { name: `Clone ${name}` });
  t.is(await dialog.getByLabel('Name of the copy').inputValue(), `${name} (copy)`);
  await dialog.getByLabel('Name of the copy').fill('Second copy');
  await dialog.getByRole('button', { name: 'Clone app' }).click();
  await page.waitForURL((url) => /\/apps\/[a-z0-9]{10}$/.test(url.pathname) && !url.pathname.endsWith(original));
  await page.locator('.editor-toolbar h1', { hasText: 'Second copy' }).waitFor();
  await page.locator('.code-pane').getByText('# the original').first().waitFor();

  await page.goto('/apps');
  await more(page, name);
  await page.getByRole('button', { name: 'Clone…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Clone app' }).click();
  await page.locator('.editor-toolbar h1', { hasText: `${name} (copy)` }).waitFor();
  const list = await pageApi(page).listApps();
  t.deepEqual(list.apps.map((a) => a.name).sort(), [name, `${name} (copy)`, 'Second copy'].sort());
  t.deepEqual(problems, []);
});

test.serial('delete from the list asks first (Cancel keeps it); delete from the editor stops the app and returns to the list', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await newUserWithBlankApp(page);
  const appId = appIdOf(page);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitLive(page, 1);
  t.is((await appAnswer(p, page, '/', appId)).status, 200);
  const name = (await page.locator('.editor-toolbar h1').innerText()).trim();

  await page.goto('/apps');
  await more(page, name);
  await page.getByRole('button', { name: 'Delete…' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  await dialog.getByText('This cannot be undone.').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  t.is((await pageApi(page).listApps()).apps.length, 1, 'Cancel deleted nothing');

  await page.getByRole('link', { name: `Edit ${name}` }).click();
  await page.locator('.editor-toolbar h1').waitFor();
  await more(page, name);
  await page.getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('dialog', { name: `Delete ${name}?` }).getByRole('button', { name: 'Delete app' }).click();
  await page.waitForURL('**/apps');
  await page.getByText(`${name} was deleted.`).waitFor();
  await page.getByRole('heading', { name: 'No apps yet' }).waitFor();
  t.not((await appAnswer(p, page, '/', appId)).status, 200, 'the app no longer answers');
  t.deepEqual(problems, []);
});
