/**
 * The account screen (personal API tokens: created and shown once, listed, revoked; sessions: listed,
 * ended) and the device sign-in approval page that `fp login` sends people to: each passes the layout
 * and axe checks at both sizes, and each action has its effect on the API.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { createClient } from '../../contract/index.js';
import { checkScreen } from '../helpers/screen-checks.js';
import { openSession, sharedPlatform, signUpInUi } from '../helpers/ui.js';

const platform = sharedPlatform(test);

async function checked(t: { is: (a: unknown, b: unknown, m?: string) => void; deepEqual: (a: unknown, b: unknown, m?: string) => void }, page: Page, name: string): Promise<void> {
  const report = await checkScreen(page, name);
  t.is(report.horizontalScroll, null, `${name}: horizontal scroll ${JSON.stringify(report.horizontalScroll)}`);
  t.deepEqual(report.overlaps, [], `${name}: overlapping boxes`);
  t.deepEqual(report.axe, [], `${name}: axe`);
}

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test(`a token is created and shown once, works, and is revoked; a CLI session is ended (${viewport.width}×${viewport.height})`, async (t) => {
    const p = await platform();
    const { page, problems } = await openSession(t, p, viewport);
    page.on('dialog', (dialog) => void dialog.accept());
    const account = await signUpInUi(page);
    const anonymous = createClient({ baseUrl: p.url });
    const cli = await anonymous.login({ body: { login: account.username, password: account.password, mode: 'token' } });

    await page.getByRole('link', { name: account.username }).click();
    await page.getByRole('heading', { name: 'Account' }).waitFor();
    await page.getByText('No tokens yet.').waitFor();
    await checked(t, page, `account-${viewport.width}`);

    await page.getByLabel('Name').fill('GitHub Actions');
    await page.getByLabel('Expires after (days, optional)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = await page.getByTestId('new-token').innerText();
    t.regex(shown, /^fpt_/);
    await checked(t, page, `account-new-token-${viewport.width}`);
    const asToken = createClient({ baseUrl: p.url, headers: () => ({ authorization: `Bearer ${shown}` }) });
    t.is((await asToken.me()).user.username, account.username, 'the token shown works');
    await page.getByRole('button', { name: 'Done, I stored it' }).click();
    t.is(await page.getByTestId('new-token').count(), 0, 'shown once');
    await page.reload();
    await page.getByRole('list', { name: 'Personal API tokens' }).getByText('GitHub Actions', { exact: true }).first().waitFor();
    t.false((await page.locator('main').innerText()).includes(shown), 'the value is never listed');

    await page.getByRole('button', { name: 'Revoke GitHub Actions' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, revoke it' }).click();
    await page.getByText('Revoked “GitHub Actions”').waitFor();
    await t.throwsAsync(asToken.me(), { message: /token/i }, 'a revoked token is refused');

    const sessions = page.getByRole('list', { name: 'Sessions' });
    await page.reload();
    await sessions.getByText('This session').waitFor();
    t.is(await sessions.getByRole('listitem').filter({ hasText: 'This session' }).getByRole('button').count(), 0, 'this session cannot be ended from here');
    const cliItem = sessions.getByRole('listitem').filter({ hasText: 'CLI' });
    await cliItem.getByRole('button', { name: /^End/ }).click();
    await page.getByText(/Ended the CLI session/).waitFor();
    await t.throwsAsync(anonymous.refresh({ body: { refreshToken: cli.refreshToken ?? '' } }), { message: /session has ended/ });
    t.deepEqual(problems, []);
  });
}

test('the device page shows who asks and from where; approving signs the CLI in; signed out, it comes back after sign-in', async (t) => {
  const p = await platform();
  const anonymous = createClient({ baseUrl: p.url });
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const { page, problems } = await openSession(t, p, viewport);
    const start = await anonymous.startDeviceLogin({ body: { client: 'fp 0.1.0 on build-box' } });
    // The link fp prints, opened signed out: sign in, and land back on it.
    const username = `dev${viewport.width}${Date.now().toString(36)}`;
    const password = `pw-${Math.random().toString(36).slice(2)}`;
    await anonymous.signup({ body: { username, email: `${username}@example.com`, password } });
    const link = new URL(start.verificationUrlComplete);
    await page.goto(`${link.pathname}${link.search}`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**/device?code=${start.userCode}`);
    await page.getByText('fp 0.1.0 on build-box').waitFor();
    t.is(await page.locator('.code').innerText(), start.userCode);
    await checked(t, page, `device-${viewport.width}`);
    t.is((await anonymous.pollDeviceLogin({ body: { deviceCode: start.deviceCode } })).status, 'pending');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approved.').waitFor();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const granted = await anonymous.pollDeviceLogin({ body: { deviceCode: start.deviceCode } });
    t.is(granted.status, 'approved');
    if (granted.status === 'approved') t.is(granted.user.username, username);
    t.deepEqual(problems, []);
  }
});

test('fails when the code is unknown: the device page says so and offers to type it', async (t) => {
  const { page } = await openSession(t, await platform());
  await signUpInUi(page);
  await page.goto('/device?code=BCDF-GHJK');
  await page.getByRole('alert').getByText(/expired or does not exist/).waitFor();
  await page.getByLabel('Code').waitFor();
  t.is(await page.getByRole('button', { name: 'Approve' }).count(), 0);
});
