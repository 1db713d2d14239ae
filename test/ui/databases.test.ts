/**
 * The Database screen against the platform's real per-tenant servers: reached from the app and from
 * the apps list; databases with sizes; create; credentials on request; rotate (the bound app redeploys
 * and still reads its data); collections with counts; documents page by page as Extended JSON; a
 * filter with $where refused with the API's sentence next to the field; delete a document and drop a
 * collection behind confirmations; export; delete a database behind its typed name. The editor's
 * setting binds an app to a database. The admin's user list shows each user's databases and sizes.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { appAnswer, appIdOf, openSession, pageApi, sharedPlatform, signUpInUi, waitLive, type UiPlatform } from '../helpers/ui.js';

const platform = sharedPlatform(test);
/** The platform's first account, its admin (made by the first test). */
let firstAccount: { username: string; password: string } | null = null;

/** Deploys the Notes template and writes `count` notes through the app itself (its own tab). */
async function notesApp(p: UiPlatform, page: Page, count: number): Promise<string> {
  await page.getByText('Notes API with a database', { exact: true }).click();
  await page.getByRole('button', { name: 'Create and deploy' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await waitLive(page, 1);
  const appId = appIdOf(page);
  const tab = await page.context().newPage();
  await tab.goto(`http://app-${appId}.localhost:${p.port}/docs`);
  for (let i = 1; i <= count; i++) {
    const status = await tab.evaluate(async (n) => (await fetch('/notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: `note ${String(n).padStart(2, '0')}`, body: 'x' }) })).status, i);
    if (status >= 300) throw new Error(`writing note ${i} answered ${status}`);
  }
  await tab.close();
  return appId;
}

test.serial('the database of an app: reached from the app, collections, pages, a refused filter, delete and drop behind confirmations, export', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  firstAccount = await signUpInUi(page);
  const appId = await notesApp(p, page, 23);

  // From the app (its menu) to the database it uses.
  await page.getByLabel(/^More actions for /).click();
  await page.getByRole('link', { name: 'Database', exact: true }).click();
  await page.getByTestId('app-database').getByText(/uses your default database/).waitFor();
  await page.getByTestId('app-database').getByRole('link', { name: /^Open / }).click();
  await page.getByRole('heading', { name: /^Database / }).waitFor();
  const notes = page.getByRole('button', { name: /^notes\b/ });
  await notes.getByText('23 documents').waitFor();
  await notes.click();
  const documents = page.getByRole('list', { name: 'Documents' });
  await documents.getByRole('listitem').nth(19).waitFor();
  t.is(await documents.getByRole('listitem').count(), 20, 'the first page');
  // Extended JSON: the ObjectId keeps its type.
  t.regex(await documents.getByRole('listitem').first().innerText(), /"_id": \{\s*"\$oid": "[0-9a-f]{24}"/);
  await page.getByRole('button', { name: 'Show the next 20' }).click();
  await documents.getByRole('listitem').nth(22).waitFor();
  await page.getByText('23 shown, the end.').waitFor();
  const titles = (await documents.getByRole('listitem').allInnerTexts()).map((text) => /"title": "([^"]+)"/.exec(text)?.[1]);
  t.is(new Set(titles).size, 23, 'each document exactly once');

  // A filter that runs code is refused; the API's sentence shows next to the field.
  await page.getByLabel('Filter').fill('{"$where": "sleep(100)"}');
  await page.getByRole('button', { name: 'Run query' }).click();
  const problem = page.locator('#query-filter-problem');
  await problem.getByText(/\$where/).waitFor();
  t.regex(await problem.innerText(), /runs code on the database server/);
  t.is(await page.getByLabel('Filter').getAttribute('aria-invalid'), 'true');
  // A good filter and sort, run with Ctrl+Enter from the field.
  await page.getByLabel('Filter').fill('{"title": {"$gte": "note 21"}}');
  await page.getByLabel('Sort').fill('{"title": -1}');
  await page.getByLabel('Sort').press('Control+Enter');
  await documents.getByText('note 23').waitFor();
  await page.getByText('3 shown, the end.').waitFor();
  t.regex(await documents.getByRole('listitem').first().innerText(), /note 23/);

  // Delete one document: asked first, Cancel keeps it.
  const first = documents.getByRole('listitem').first();
  await first.getByRole('button', { name: /^Delete document/ }).click();
  await page.getByRole('dialog', { name: 'Delete this document?' }).getByRole('button', { name: 'Cancel' }).click();
  t.is(await documents.getByRole('listitem').count(), 3);
  await first.getByRole('button', { name: /^Delete document/ }).click();
  await page.getByRole('dialog', { name: 'Delete this document?' }).getByRole('button', { name: 'Delete document' }).click();
  await documents.getByText('note 23').waitFor({ state: 'detached' });
  t.regex((await appAnswer(p, page, '/notes', appId)).text, /note 22/);
  t.notRegex((await appAnswer(p, page, '/notes', appId)).text, /note 23/, 'the app no longer sees it');
  await notes.getByText('22 documents').waitFor();

  // Export: every document as JSON lines.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export JSON lines' }).click();
  const file = await download;
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  t.is(text.trim().split('\n').length, 22);
  t.regex(text.split('\n')[0] ?? '', /^\{"_id":\{"\$oid":"[0-9a-f]{24}"\}/);

  // Drop the collection: the typed name is needed.
  await page.getByRole('button', { name: 'Drop collection…' }).click();
  const drop = page.getByRole('dialog', { name: 'Drop notes?' });
  t.true(await drop.getByRole('button', { name: 'Drop collection' }).isDisabled());
  await drop.getByLabel('Type notes to confirm').fill('notes');
  await drop.getByRole('button', { name: 'Drop collection' }).click();
  await page.getByText('No collection yet.', { exact: false }).waitFor();
  const after = await appAnswer(p, page, '/notes', appId);
  t.is(after.status, 200);
  t.notRegex(after.text, /"title"/, 'the app lists no note');
  // The one failed request was the refused $where filter (400), shown next to the field.
  t.deepEqual(problems, ['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
});

test.serial('databases: create, credentials on request, bind an app in its settings, rotate (the app redeploys and keeps working), delete by typed name', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await signUpInUi(page);
  const appId = await notesApp(p, page, 1);

  await page.goto('/apps');
  await page.getByRole('link', { name: 'Databases' }).click();
  await page.getByLabel('Name').fill('orders');
  await page.getByRole('button', { name: 'Create database' }).click();
  await page.getByRole('heading', { name: 'Database orders' }).waitFor();
  await page.getByRole('button', { name: 'Show credentials' }).click();
  const credentials = page.getByTestId('credentials');
  t.regex(await credentials.innerText(), /mongodb:\/\//);
  await page.getByRole('button', { name: 'Hide credentials' }).click();
  await credentials.waitFor({ state: 'detached' });

  // Bind the app to "orders" in its settings: it redeploys, and its notes start empty there.
  await page.goto(`/apps/${appId}`);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Database of this app').selectOption({ label: 'orders' });
  await page.getByRole('button', { name: 'Save database' }).click();
  await page.getByText('Saved. The app is redeploying with its new database.').waitFor();
  await waitLive(page, 1);
  const detail = await pageApi(page).getApp({ params: { appId } });
  t.is(detail.database.mode, 'bound');
  const fresh = await appAnswer(p, page, '/notes', appId);
  t.is(fresh.status, 200);
  t.notRegex(fresh.text, /"title"/, 'a fresh database: no note in it');

  // Rotate: the dialog says the bound app redeploys; it keeps answering with the new credentials.
  await page.goto('/databases');
  await page.getByRole('link', { name: 'orders', exact: true }).click();
  await page.getByRole('button', { name: 'Rotate credentials…' }).click();
  const rotate = page.getByRole('dialog', { name: 'Rotate the credentials of orders?' });
  t.regex(await rotate.innerText(), /Notes API with a database/);
  t.regex(await rotate.innerText(), /redeployed/);
  await rotate.getByRole('button', { name: 'Rotate' }).click();
  await page.getByText(/New credentials for orders\. Its apps are redeploying with them\./).waitFor();
  let answer = { status: 0, text: '' };
  for (let i = 0; i < 40 && answer.status !== 200; i++) {
    await page.waitForTimeout(500);
    answer = await appAnswer(p, page, '/notes', appId);
  }
  t.is(answer.status, 200, `the app works with the rotated credentials: ${answer.text}`);

  // Deleting a database an app is bound to is refused with the API's sentence; unbound, it goes.
  await page.getByRole('button', { name: 'Delete database…' }).click();
  let dialog = page.getByRole('dialog', { name: 'Delete orders?' });
  await dialog.getByLabel('Type orders to confirm').fill('orders');
  await dialog.getByRole('button', { name: 'Delete database' }).click();
  await dialog.getByRole('alert').getByText(/Apps use this database/).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.goto(`/apps/${appId}`);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Database of this app').selectOption('auto');
  await page.getByRole('button', { name: 'Save database' }).click();
  await page.getByText(/^Saved\./).waitFor();
  await page.goto('/databases');
  await page.getByRole('link', { name: 'orders', exact: true }).click();
  await page.getByRole('button', { name: 'Delete database…' }).click();
  dialog = page.getByRole('dialog', { name: 'Delete orders?' });
  await dialog.getByLabel('Type orders to confirm').fill('orders');
  await dialog.getByRole('button', { name: 'Delete database' }).click();
  await page.waitForURL('**/databases');
  await page.getByText('orders was deleted.').waitFor();
  t.false((await pageApi(page).listDatabases()).databases.some((d) => d.name === 'orders'));
  // The one failed request was the refused delete (409), shown above as the API's sentence.
  t.deepEqual(problems, ['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
});

test.serial('the database screen works with the keyboard alone, and another user\'s database is not found', async (t) => {
  const p = await platform();
  const { page } = await openSession(t, p);
  await signUpInUi(page);
  await notesApp(p, page, 2);
  const [database] = (await pageApi(page).listDatabases()).databases;
  await page.goto(`/databases/${database?.id ?? ''}`);
  await page.getByRole('button', { name: /^notes\b/ }).waitFor();
  // Tab to the collection, Enter opens it; Tab on to the filter, type, Ctrl+Enter runs it.
  for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement?.textContent?.startsWith('notes') ?? false)); i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('list', { name: 'Documents' }).getByRole('listitem').nth(1).waitFor();
  for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.id === 'query-filter')); i++) await page.keyboard.press('Tab');
  await page.keyboard.type('{"title": "note 02"}');
  await page.keyboard.press('Control+Enter');
  await page.getByText('1 shown, the end.').waitFor();

  const other = await openSession(t, p);
  await signUpInUi(other.page);
  await other.page.goto(`/databases/${database?.id ?? ''}`);
  await other.page.getByText('There is no database at this address, or it is not yours.').waitFor();
  t.pass();
});

test.serial('the admin sees each user\'s databases and their sizes', async (t) => {
  const p = await platform();
  if (!firstAccount) throw new Error('the first test signs up the platform\'s first account (its admin)');
  const users = await openSession(t, p);
  const someone = await signUpInUi(users.page);
  await notesApp(p, users.page, 1);
  const [database] = (await pageApi(users.page).listDatabases()).databases;
  const { page } = await openSession(t, p);
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(firstAccount.username);
  await page.getByLabel('Password').fill(firstAccount.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/apps');
  await page.goto('/admin');
  await page.getByRole('tab', { name: 'Users' }).click();
  const row = page.getByRole('listitem').filter({ hasText: someone.username });
  const listed = row.getByTestId('user-databases');
  await listed.getByText(database?.name ?? '?', { exact: true }).waitFor();
  t.regex(await listed.innerText(), /1 database: \S+ \((\d+(\.\d)? (B|KB|MB))\)/, 'its name and its size');
});
