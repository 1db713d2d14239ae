/**
 * The admin screen in the browser: settings close and reopen sign-ups (as a signed-out visitor sees
 * them), users created (as users or admins), promoted, demoted (yourself after confirming) and deleted
 * (the last admin kept), a global template hidden from everyone's gallery and shown again, and every
 * tab's layout and axe checks at desktop and phone widths. The first account on the file's fresh
 * platform is its admin, so the tests run in order.
 */
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { checkScreen } from '../helpers/screen-checks.js';
import { pathOf } from '../../contract/index.js';
import { openSession, sharedPlatform, signUpInUi, type UiSession } from '../helpers/ui.js';

const platform = sharedPlatform(test);

interface Account {
  readonly username: string;
  readonly password: string;
}

let admin: Account | undefined;
let member: Account | undefined;

const resourceError = (status: string) => new RegExp(`^console: Failed to load resource: the server responded with a status of ${status}`);

/** Chromium logs every refused request; only the ones the test provoked on purpose may appear. */
function unexpected(problems: readonly string[], ...expected: RegExp[]): string[] {
  return problems.filter((p) => !expected.some((e) => e.test(p)));
}

function need(account: Account | undefined): Account {
  if (!account) throw new Error('an earlier serial test did not create this account');
  return account;
}

async function logIn(page: Page, account: Account): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username or email').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/apps');
}

async function asAdmin(t: ExecutionContext, viewport?: { width: number; height: number }): Promise<UiSession> {
  const session = await openSession(t, await platform(), viewport);
  await logIn(session.page, need(admin));
  return session;
}

async function openTab(page: Page, tab: 'Settings' | 'Users' | 'Templates' | 'Stats'): Promise<void> {
  if (!page.url().endsWith('/admin')) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL('**/admin');
  }
  await page.getByRole('tab', { name: tab }).click();
}

async function createUser(page: Page, username: string, options: { admin?: boolean } = {}): Promise<Account> {
  const password = `pw-${username}-secret`;
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Email', { exact: true }).fill(`${username}@example.com`);
  await page.getByLabel('Password', { exact: true }).fill(password);
  if (options.admin) await page.getByLabel('Make them an administrator').check();
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.getByText(`Created ${username}${options.admin ? ', an admin' : ''}. They can sign in now.`).waitFor();
  return { username, password };
}

const userItem = (page: Page, username: string) => page.locator('li.admin-item').filter({ has: page.locator('.name', { hasText: new RegExp(`^${username}$`) }) });
/** The role badge reads "Role: Admin" to a screen reader, "Admin" on screen. */
const roleOf = (page: Page, username: string, role: 'Admin' | 'User') => userItem(page, username).locator('.badge', { hasText: new RegExp(`${role}$`) });

test.serial('the first account is the admin; turning sign-ups off closes the sign-up page, turning them on reopens it', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  admin = await signUpInUi(page, `boss${Date.now().toString(36)}`);
  await openTab(page, 'Settings');
  const signups = page.getByLabel('Allow sign-ups');
  t.true(await signups.isChecked(), 'sign-ups start open');

  await page.getByLabel('Files per app').fill('0');
  await page.getByLabel('Use the defaults').uncheck();
  const imports = page.getByLabel('Allowed imports, one module per line');
  t.regex(await imports.inputValue(), /^fastapi\n/, 'the custom list starts from the defaults');
  await imports.fill('fastapi\nnot-a-module\npydantic');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('alert').getByText('Please fix the fields marked below.').waitFor();
  t.regex(await page.locator('#setting-maxFiles-problem').innerText(), />=\s*1/);
  t.is(await page.getByLabel('Files per app').getAttribute('aria-invalid'), 'true');
  t.is(await page.locator('#allowed-imports-problem').innerText(), '"not-a-module" is not a dotted module name.');

  await page.getByLabel('Files per app').fill('40');
  await page.getByLabel('Use the defaults').check();
  await signups.uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').getByText('Settings saved.').waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Save settings' }).waitFor();
  t.false(await page.getByLabel('Allow sign-ups').isChecked(), 'the change was stored');
  t.is(await page.getByLabel('Files per app').inputValue(), '40');

  const visitor = await openSession(t, p);
  await visitor.page.goto('/signup');
  await visitor.page.getByText('Sign-ups are closed on this platform').waitFor();
  t.is(await visitor.page.getByRole('button', { name: 'Create account' }).count(), 0);

  await page.getByLabel('Allow sign-ups').check();
  await page.getByLabel('Files per app').fill('50');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').getByText('Settings saved.').waitFor();
  const later = await openSession(t, p);
  await later.page.goto('/signup');
  await later.page.getByRole('button', { name: 'Create account' }).waitFor();
  t.is(await later.page.getByText('Sign-ups are closed').count(), 0);

  t.deepEqual(unexpected(problems, resourceError('400')), []);
  t.is(problems.length, 1, 'one refused save, nothing else');
  t.deepEqual([...visitor.problems, ...later.problems], []);
});

test.serial('a user an admin creates has no Admin link, is told the page is for administrators, and the API refuses them', async (t) => {
  const { page, problems } = await asAdmin(t);
  await openTab(page, 'Users');
  member = await createUser(page, 'bob');
  await roleOf(page, 'bob', 'User').waitFor();
  t.deepEqual(problems, []);

  const bob = await openSession(t, await platform());
  const adminRequests: string[] = [];
  bob.page.on('request', (request) => { if (new URL(request.url()).pathname.startsWith('/api/admin')) adminRequests.push(request.url()); });
  await logIn(bob.page, member);
  const nav = bob.page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Apps' }).waitFor();
  t.is(await nav.getByRole('link', { name: 'Admin' }).count(), 0);
  await bob.page.goto('/admin');
  await bob.page.getByText('You need to be an administrator to open this page.').waitFor();
  t.is(await bob.page.getByRole('tab').count(), 0, 'no admin tabs');
  t.deepEqual(adminRequests, [], 'the page asked for no admin data');
  t.deepEqual(bob.problems, []);
  t.is(await bob.page.evaluate((path) => fetch(path).then((r) => r.status), pathOf('adminListUsers')), 403);
  t.deepEqual(unexpected(bob.problems, resourceError('403')), []);
});

test.serial('an admin promotes and demotes a user, cannot demote the last admin, and deletes a user after confirming', async (t) => {
  const p = await platform();
  const { page, problems } = await asAdmin(t);
  const carol = await openSession(t, p);
  await openTab(page, 'Users');
  const carolAccount = await createUser(page, 'carol');
  await logIn(carol.page, carolAccount);
  await carol.page.goto('/apps/new');
  await carol.page.getByRole('button', { name: 'Create without deploying' }).click();
  await carol.page.waitForURL(/\/apps\/[a-z0-9]{10}/);

  await page.getByLabel('Search users').fill('caro');
  await page.locator('li.admin-item').filter({ hasText: 'bob' }).waitFor({ state: 'detached' });
  const item = userItem(page, 'carol');
  await item.getByText('1 app, 0 running').waitFor();

  await page.getByRole('button', { name: 'Promote carol' }).click();
  await roleOf(page, 'carol', 'Admin').waitFor();
  await page.getByRole('button', { name: 'Demote carol' }).click();
  await roleOf(page, 'carol', 'User').waitFor();
  await page.getByRole('status').getByText('carol is no longer an admin.').waitFor();

  const me = need(admin).username;
  await page.getByLabel('Search users').fill('');
  const mine = userItem(page, me);
  await mine.waitFor();
  t.is(await page.getByRole('button', { name: `Delete ${me}` }).count(), 0, 'no way to delete yourself');
  await page.getByRole('button', { name: `Demote ${me}` }).click();
  const selfDemotion = page.getByRole('dialog', { name: 'Stop being an admin?' });
  await selfDemotion.getByRole('button', { name: 'Yes, demote me' }).click();
  await selfDemotion.getByRole('alert').getByText('This is the last admin; make someone else an admin first.').waitFor();
  await selfDemotion.getByRole('button', { name: 'Cancel' }).click();
  await selfDemotion.waitFor({ state: 'detached' });
  t.regex(await mine.locator('.badge').innerText(), /Admin$/, 'still an admin');
  t.is(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(), 1);

  await page.getByRole('button', { name: 'Delete carol' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete carol?' });
  await dialog.waitFor();
  t.regex(await dialog.innerText(), /carol \(carol@example\.com\) and everything they own: their 1 app/);
  t.regex(await dialog.innerText(), /Their apps are deleted too\./);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  t.is(await item.count(), 1, 'cancel keeps the user');
  await page.getByRole('button', { name: 'Delete carol' }).click();
  await dialog.getByRole('button', { name: 'Yes, delete carol' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('status').getByText('Deleted carol and everything they owned.').waitFor();
  await page.reload();
  await page.getByRole('tab', { name: 'Users' }).click();
  await userItem(page, 'bob').waitFor();
  t.is(await userItem(page, 'carol').count(), 0, 'carol is gone after a reload');

  const again = await openSession(t, p);
  await again.page.goto('/login');
  await again.page.getByLabel('Username or email').fill('carol');
  await again.page.getByLabel('Password').fill(carolAccount.password);
  await again.page.getByRole('button', { name: 'Sign in' }).click();
  await again.page.getByRole('alert').waitFor();
  t.true(again.page.url().includes('/login'), 'a deleted user cannot sign in');

  t.deepEqual(unexpected(problems, resourceError('409')), []);
  t.is(problems.length, 1, 'one refused demotion, nothing else');
  t.deepEqual(carol.problems, []);
});

test.serial('an admin creates another admin, who demotes themselves after confirming and loses the admin page', async (t) => {
  const p = await platform();
  const { page, problems } = await asAdmin(t);
  await openTab(page, 'Users');
  const daveAccount = await createUser(page, 'dave', { admin: true });
  await roleOf(page, 'dave', 'Admin').waitFor();

  const dave = await openSession(t, p);
  await logIn(dave.page, daveAccount);
  await openTab(dave.page, 'Users');
  await dave.page.getByRole('button', { name: 'Demote dave' }).click();
  const dialog = dave.page.getByRole('dialog', { name: 'Stop being an admin?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  t.regex(await userItem(dave.page, 'dave').locator('.badge').innerText(), /Admin$/, 'cancel keeps the role');
  await dave.page.getByRole('button', { name: 'Demote dave' }).click();
  await dialog.getByRole('button', { name: 'Yes, demote me' }).click();
  await dave.page.getByText('You need to be an administrator to open this page.').waitFor();
  t.is(await dave.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(), 0);
  t.is(await dave.page.evaluate((path) => fetch(path).then((r) => r.status), pathOf('adminListUsers')), 403);

  await page.reload();
  await page.getByRole('tab', { name: 'Users' }).click();
  await roleOf(page, 'dave', 'User').waitFor();
  t.deepEqual(problems, []);
  t.deepEqual(unexpected(dave.problems, resourceError('403')), []);
});

test.serial('a built-in template hidden for everyone leaves the gallery until unhidden; a deleted one is gone', async (t) => {
  const { page, problems } = await asAdmin(t);
  const bob = await openSession(t, await platform());
  await logIn(bob.page, need(member));
  const gallery = async () => {
    await bob.page.goto('/apps/new');
    await bob.page.getByText('Hello FastHTML', { exact: true }).waitFor();
    return bob.page.locator('.template-grid strong').allInnerTexts();
  };
  t.true((await gallery()).includes('Hello FastAPI'));

  await openTab(page, 'Templates');
  const hello = page.locator('li.admin-item').filter({ has: page.locator('.name', { hasText: /^Hello FastAPI$/ }) });
  await hello.getByText('Built-in', { exact: true }).waitFor();
  t.regex(await hello.innerText(), /Global, built-in/);
  await page.getByRole('button', { name: 'Hide Hello FastAPI for everyone' }).click();
  await hello.getByText('Hidden for everyone').waitFor();
  t.false((await gallery()).includes('Hello FastAPI'), 'hidden from another user\'s gallery');

  await page.getByRole('button', { name: 'Unhide Hello FastAPI' }).click();
  await hello.getByText('Hidden for everyone').waitFor({ state: 'detached' });
  t.true((await gallery()).includes('Hello FastAPI'), 'listed again');

  t.true((await gallery()).includes('Signed webhook inbox'));
  await page.getByRole('button', { name: 'Delete Signed webhook inbox' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete the template Signed webhook inbox?' });
  t.regex(await dialog.innerText(), /stays deleted/);
  await dialog.getByRole('button', { name: 'Yes, delete Signed webhook inbox' }).click();
  await dialog.waitFor({ state: 'detached' });
  t.is(await page.getByRole('button', { name: 'Delete Signed webhook inbox' }).count(), 0);
  t.false((await gallery()).includes('Signed webhook inbox'));
  t.deepEqual(problems, []);
  t.deepEqual(bob.problems, []);
});

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test.serial(`every admin tab passes layout and axe checks at ${viewport.width}×${viewport.height}`, async (t) => {
    const { page, problems } = await asAdmin(t, viewport);
    const check = async (name: string) => {
      const report = await checkScreen(page, name);
      t.is(report.horizontalScroll, null, `${name}: horizontal scroll ${JSON.stringify(report.horizontalScroll)}`);
      t.deepEqual(report.overlaps, [], `${name}: overlapping boxes`);
      t.deepEqual(report.axe, [], `${name}: axe`);
    };
    await openTab(page, 'Settings');
    await page.getByLabel('Apps per user').waitFor();
    await check('admin-settings');
    await page.getByLabel('Use the defaults').uncheck();
    await check('admin-settings-imports');
    await openTab(page, 'Users');
    await userItem(page, 'bob').waitFor();
    await check('admin-users');
    await page.getByRole('button', { name: 'Delete bob' }).click();
    await page.getByRole('dialog', { name: 'Delete bob?' }).waitFor();
    await check('admin-users-delete');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await openTab(page, 'Templates');
    await page.getByRole('button', { name: 'Delete Hello FastAPI' }).waitFor();
    await check('admin-templates');
    await openTab(page, 'Stats');
    await page.getByText('Global templates').waitFor();
    const figure = (label: string) => page.locator('.stats > div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd').innerText();
    t.is(await figure('Users'), '3', 'the admin, bob and dave; carol is deleted');
    t.is(await figure('Apps'), '0', 'carol\'s app went with her');
    t.is(await figure('Admins'), '1');
    await check('admin-stats');
    t.deepEqual(problems, []);
  });
}
