/**
 * After a failed deploy the app is shown as what it is: version 2 still serving and version 3's
 * rollout failed, separately, in all four places (the editor's header, the apps list with Open still
 * there, the dashboard, History); History marks v2 Live and v3 Failed, never v3 Live. Rollback asks
 * for a confirmation first, and just after one the diff heading names the pair the diff shows.
 */
import test from 'ava';
import { appAnswer, appIdOf, newUserWithBlankApp, openSession, pasteCode, sharedPlatform, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);
const app = (word: string) => `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"edition": "${word}"}\n`;

test.serial('a failed v3 shows as "serving v2, v3 failed" in the header, the list, the dashboard and History; rollback asks first', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await newUserWithBlankApp(page);
  const appId = appIdOf(page);
  for (const [version, word] of [[1, 'first'], [2, 'second']] as const) {
    await pasteCode(page, app(word));
    await page.keyboard.press('ControlOrMeta+Enter');
    await waitLive(page, version);
  }
  await pasteCode(page, 'from fastapi import FastAPI\n\napp = FastAPI()\nraise RuntimeError("no config")\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  await page.getByTestId('deploy-notice').getByText('Version 3 did not start').waitFor({ timeout: 60_000 });

  // The header: what serves, and what failed.
  const header = page.locator('.editor-toolbar');
  await header.getByTestId('status').getByText('v3 failed').waitFor();
  t.is(await header.getByTestId('status').innerText().then((s) => s.replace(/\s+/g, ' ').trim()), 'Serving v2 v3 failed');
  t.regex(await page.getByTestId('draft-state').innerText(), /Version 3 failed to start; version 2 still serves\./);
  t.notRegex(await header.innerText(), /Version 3 is what runs/);
  t.regex((await appAnswer(p, page, '/', appId)).text, /second/, 'v2 really still serves');

  // The list: the same two facts, and Open is still there since something serves.
  await page.goto('/apps');
  const item = page.locator(`[data-app-id="${appId}"]`);
  await item.getByText('Serving v2').waitFor();
  await item.getByText('v3 failed').waitFor();
  await item.getByRole('link', { name: /^Open/ }).waitFor();
  t.regex(await item.innerText(), /app-[a-z0-9]{10}\.localhost/, 'the address shows, not "Failed"');

  // The dashboard.
  await page.goto(`/apps/${appId}/dashboard`);
  await page.getByTestId('deployed-state').getByText('Version 3 failed to start; version 2 still serves.').waitFor();
  await page.getByTestId('failure').getByText(/RuntimeError: no config/).waitFor();
  await page.getByTestId('runtime-phase').getByText('Answering with version 2').waitFor();
  const versions = page.locator('section[aria-labelledby="versions-heading"]');
  t.regex(await versions.locator('[data-version="2"]').innerText(), /Live/);
  t.regex(await versions.locator('[data-version="3"]').innerText(), /Failed/);
  t.notRegex(await versions.locator('[data-version="3"]').innerText(), /Live/);

  // History: v2 Live, v3 Failed; rolling back to v1 asks first, and Cancel does nothing.
  await page.goto(`/apps/${appId}/history`);
  const list = page.getByRole('navigation', { name: 'Versions' });
  t.regex(await list.getByRole('button', { name: /Version 2\b/ }).innerText(), /Live/);
  t.regex(await list.getByRole('button', { name: /Version 3\b/ }).innerText(), /Failed/);
  t.notRegex(await list.getByRole('button', { name: /Version 3\b/ }).innerText(), /Live/);
  await page.locator('.rollback').getByText('Version 3 failed to start; version 2 still serves.').waitFor();
  await list.getByRole('button', { name: /Version 1\b/ }).click();
  await page.getByRole('button', { name: 'Roll back to version 1…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back to version 1?' });
  await dialog.getByText('version 2 keeps serving until it is live').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  t.is((await list.getByRole('listitem').count()), 3, 'cancel published nothing');
  await page.getByRole('button', { name: 'Roll back to version 1…' }).click();
  await page.getByRole('dialog', { name: 'Roll back to version 1?' }).getByRole('button', { name: 'Roll back to version 1' }).click();
  await page.getByText('Rolled back: version 4, the files of version 1, is live.').waitFor({ timeout: 60_000 });
  t.regex((await appAnswer(p, page, '/', appId)).text, /first/);
  await list.getByRole('button', { name: /Version 4\b.*Live/s }).waitFor();
  // The heading names exactly the pair the diff shows: version 3 → version 4, and the diff holds v4's code.
  const heading = page.getByRole('heading', { name: /^Changes from/ });
  await heading.getByText('Changes from version 3 to version 4').waitFor();
  await page.locator('.code-diff .editor.modified .view-lines').getByText('first').waitFor();
  await page.locator('.code-diff .editor.original .view-lines').getByText('no config').waitFor();
  await page.getByTestId('status').getByText('Running · v4').waitFor();
  t.deepEqual(problems, []);
});
