/**
 * The app dashboard of issue 16 in the browser, against `npm start`'s platform and its gateway: the
 * request history (each request's version, a failed request's traceback, the cold flag with its wake
 * time), the metrics' totals and charts (a range picker, a table view), the app's sleep (state and
 * since, the owner's idle timeout, the API's refusal of an out-of-range one beside the field with
 * nothing changed, sleeping and waking for real), and always-on on the admin screen and the admin's
 * dashboard. The platform sweeps for idle apps every second so an app with a 10 s timeout sleeps
 * within the test. The first account on the file's platform is its admin; the tests run in order.
 */
import test, { type ExecutionContext } from 'ava';
import { request } from 'node:http';
import type { Page } from 'playwright-core';
import { checkScreen } from '../helpers/screen-checks.js';
import { appIdOf, newUserWithBlankApp, openSession, pageApi, pasteCode, sharedPlatform, signIn, signUpInUi, waitLive, type UiPlatform } from '../helpers/ui.js';

const platform = sharedPlatform(test, { SLEEP_SWEEP_SECONDS: '1' });

const code = `from fastapi import FastAPI, HTTPException

app = FastAPI()


@app.get("/")
def home():
    return {"hello": "world"}


@app.get("/items/{n}")
def item(n: int):
    if n > 10:
        raise HTTPException(404, "no such item")
    return {"n": n}


@app.get("/boom")
def boom():
    ratio = 1 / 0
    return {"ratio": ratio}
`;

interface Shared {
  readonly account: { username: string; password: string };
  readonly appId: string;
}

let shared: Shared | null = null;

function need(): Shared {
  if (!shared) throw new Error('the first serial test did not deploy the app');
  return shared;
}

/** A request to the app's host through the platform's gateway, as an API client sends it (not a browser). */
function appRequest(p: UiPlatform, appId: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: p.port, path, headers: { host: `app-${appId}.localhost:${p.port}`, accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`no answer to ${path} within 60 s`)));
    req.end();
  });
}

async function openDashboard(t: ExecutionContext, viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const { account, appId } = need();
  const session = await openSession(t, await platform(), viewport);
  await signIn(session.page, account);
  await session.page.goto(`/apps/${appId}/dashboard`);
  await session.page.getByRole('heading', { name: 'Sleep' }).waitFor();
  return session;
}

/** Waits until the metrics' totals say `value` for `name` ("Requests", "Cold starts", …). */
async function totalShows(page: Page, name: string, value: string): Promise<void> {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.getByTestId('metrics-totals').locator('div').filter({ hasText: new RegExp(`^${name}\\s*${escaped}$`) }).waitFor({ timeout: 30_000 });
}

const resourceError = (status: string) => new RegExp(`^console: Failed to load resource: the server responded with a status of ${status}`);

test.serial('the request history shows the version that answered each request and a failed one\'s traceback; the metrics count them', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  const account = await signUpInUi(page);
  await page.getByRole('button', { name: 'Create without deploying' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await page.locator('.monaco-editor').waitFor();
  const appId = appIdOf(page);
  await pasteCode(page, code);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitLive(page, 1);
  shared = { account, appId };

  const answers = [];
  for (const path of ['/', '/', '/items/3', '/items/99', '/boom', '/?q=secret']) answers.push((await appRequest(p, appId, path)).status);
  t.deepEqual(answers, [200, 200, 200, 404, 500, 200]);

  await page.goto(`/apps/${appId}/dashboard`);
  const requests = page.getByTestId('requests');
  // Records are written in batches off the request path: the dashboard's refresh brings them.
  await requests.locator('li').nth(5).waitFor({ timeout: 30_000 });
  const boom = requests.locator('li.failed').filter({ hasText: '/boom' });
  await t.notThrowsAsync(boom.getByText('500', { exact: true }).waitFor());
  t.is(await boom.locator('.version').innerText(), 'v1', 'the version that answered');
  t.is(await requests.locator('li').filter({ hasText: '/items/99' }).locator('.status').innerText(), '404');
  t.is(await requests.getByText('/?q=secret').count(), 0, 'paths are recorded without their query');
  t.is(await requests.locator('.badge.cold').count(), 0, 'nothing was cold: the app was awake');
  await boom.locator(':scope > details > summary').click();
  await boom.getByText('ZeroDivisionError').first().waitFor();
  const frame = boom.getByRole('group', { name: 'Traceback of GET /boom' }).getByRole('link', { name: /^app\.py:20$/ });
  t.is(await frame.getAttribute('href'), `/apps/${appId}?file=app.py&line=20`, 'the app\'s own frame links to the raising line');

  await totalShows(page, 'Requests', '6');
  await t.notThrowsAsync(totalShows(page, 'Error rate', '17%'), 'one 5xx in six');
  await t.notThrowsAsync(totalShows(page, 'Cold starts', '0'));
  for (const chart of ['requests', 'errors', 'latency', 'cold']) await page.getByTestId(`chart-${chart}`).waitFor();
  const requestsChart = page.getByRole('figure', { name: 'Requests per minute' });
  t.regex(await requestsChart.locator('.plot').getAttribute('aria-label') ?? '', /^6 requests in the last hour: 4 2xx, 1 4xx, 1 5xx; busiest /);
  t.true(await requestsChart.locator('rect.bar.class-5xx').count() >= 1, 'the 5xx is drawn');
  await requestsChart.getByText('Show as a table').click();
  const table = requestsChart.getByRole('table');
  t.is(await table.locator('tbody tr').count(), 60, 'one row per minute of the hour');
  t.true(await table.locator('tbody td').filter({ hasText: /^[1-9][\d.]*$/ }).count() >= 3, 'the minutes with requests: a 2xx, a 4xx and a 5xx cell at least');

  // A wider range: the same requests, in 6-minute buckets.
  const asked = page.waitForRequest((r) => r.url().includes(`/api/apps/${appId}/metrics?minutes=1440`));
  await page.getByRole('group', { name: 'Time range' }).getByRole('radio', { name: 'the last 24 hours' }).check();
  await asked;
  await page.getByRole('figure', { name: 'Requests per minute (averaged over 24 minutes)' }).waitFor();
  await t.notThrowsAsync(totalShows(page, 'Requests', '6'));

  // The pointer and the arrow keys read a minute's values.
  const plot = page.getByRole('figure', { name: 'Latency' }).locator('.plot');
  await plot.focus();
  await page.keyboard.press('End');
  await t.notThrowsAsync(plot.locator('.readout').getByText(/p50 /).waitFor());

  t.deepEqual(problems, []);
});

test.serial('fails when the idle timeout is out of range: the API\'s sentence shows beside the field and nothing changes; 10 s puts the app to sleep and a request wakes it, marked cold', async (t) => {
  const p = await platform();
  const { appId } = need();
  const { page, problems } = await openDashboard(t);
  const card = page.locator('section.sleep-card');
  await card.getByTestId('sleep-state').getByText('Awake', { exact: true }).waitFor();
  t.is(await card.getByTestId('sleep-rule').innerText(), 'After 15 minutes without a request (the platform\'s default).');
  const field = card.getByLabel('Sleep after this long without a request');
  t.is(await field.inputValue(), '15');
  t.is(await card.getByLabel('Unit').inputValue(), 'minutes');

  for (const [value, unit] of [['5', 'seconds'], ['8', 'days']] as const) {
    await field.fill(value);
    await card.getByLabel('Unit').selectOption(unit);
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/apps/${appId}/sleep`) && r.request().method() === 'PUT');
    await card.getByRole('button', { name: 'Save' }).click();
    const response = await answered;
    t.is(response.status(), 400, `${value} ${unit}: refused by the API`);
    const body = await response.json() as { error: { message: string; details: { issues: { path: string; message: string }[] } } };
    const said = body.error.details.issues.find((i) => /idleTimeoutSeconds/.test(i.path))?.message ?? body.error.message;
    const problem = card.getByTestId('idle-timeout-problem');
    await problem.waitFor();
    t.true((await problem.innerText()).toLowerCase().includes(said.toLowerCase()), `the API's sentence beside the field: "${await problem.innerText()}" vs "${said}"`);
    t.is(await field.getAttribute('aria-invalid'), 'true');
    t.regex(await field.getAttribute('aria-describedby') ?? '', /idle-timeout-problem/);
    t.is(await card.getByTestId('sleep-rule').innerText(), 'After 15 minutes without a request (the platform\'s default).', 'the shown rule is unchanged');
    t.is((await pageApi(page).getSleep({ params: { appId } })).idleTimeoutSeconds, null, 'nothing changed on the platform');
  }
  await field.fill('ten');
  await card.getByRole('button', { name: 'Save' }).click();
  await card.getByTestId('idle-timeout-problem').getByText('"ten" is not a number.').waitFor();
  const report = await checkScreen(page, 'dashboard-idle-timeout-problem');
  t.deepEqual(report.axe, [], 'axe with the field\'s problem shown');
  t.deepEqual(report.overlaps, []);

  await field.fill('10');
  await card.getByLabel('Unit').selectOption('seconds');
  await card.getByRole('button', { name: 'Save' }).click();
  await card.getByRole('status').getByText('Saved: it sleeps after 10 seconds without a request.').waitFor();
  t.is(await card.getByTestId('idle-timeout-problem').count(), 0, 'the problem is gone');
  t.is(await card.getByTestId('sleep-rule').innerText(), 'After 10 seconds without a request (this app\'s own setting).');
  t.is((await pageApi(page).getSleep({ params: { appId } })).idleTimeoutSeconds, 10);

  // Idle for 10 s past its last request's minute, swept every second.
  await card.getByTestId('sleep-state').getByText('Asleep', { exact: true }).waitFor({ timeout: 150_000 });
  await card.getByText('Any request to its address').waitFor();
  t.regex(await card.getByTestId('sleep-state').innerText(), /since \d/);
  t.is((await pageApi(page).runtimeStatus({ params: { appId } })).phase, 'sleeping', 'the runtime stopped it');
  // The list reads the owner's directory, updated once the runner has stopped.
  for (let tries = 0; !(await pageApi(page).listApps()).apps.find((a) => a.id === appId)?.sleeping; tries++) {
    if (tries === 30) throw new Error('the API never listed the app as sleeping');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await page.goto('/apps');
  const listed = page.locator(`[data-app-id="${appId}"]`).getByTestId('status');
  await listed.getByText('Asleep', { exact: true }).waitFor();
  t.is(await listed.getAttribute('data-sleeping'), 'true');

  const woken = await appRequest(p, appId, '/items/7');
  t.deepEqual(woken, { status: 200, body: '{"n":7}' }, 'the API client was held until the app woke');
  await page.goto(`/apps/${appId}/dashboard`);
  const cold = page.getByTestId('requests').locator('li').filter({ hasText: '/items/7' }).locator('.badge.cold');
  await cold.waitFor({ timeout: 30_000 });
  t.regex(await cold.innerText(), /^cold · woke in [\d.,]+ (ms|s)$/);
  await card.getByTestId('sleep-state').getByText('Awake', { exact: true }).waitFor();
  await card.getByText(/^Took [\d.,]+ (ms|s)$/).waitFor();
  await totalShows(page, 'Cold starts', '1');
  t.regex(await page.getByRole('figure', { name: 'Cold starts' }).locator('.plot').getAttribute('aria-label') ?? '', /^1 request woke the app in the last hour\./);

  await card.getByRole('button', { name: 'Use the platform\'s default' }).click();
  await card.getByRole('status').getByText('Saved: the platform\'s default applies (15 minutes).').waitFor();
  t.is(await card.getByTestId('sleep-rule').innerText(), 'After 15 minutes without a request (the platform\'s default).');
  t.deepEqual(problems.filter((m) => !resourceError('400').test(m)), []);
});

test.serial('an admin makes an app always on from the admin screen (a bad or unknown app is said beside the field), and sets the platform\'s idle timeout', async (t) => {
  const p = await platform();
  const { appId } = need();
  const { page, problems } = await openDashboard(t);
  const card = page.locator('section.sleep-card');
  const alwaysOn = card.getByLabel(/^Always on/);
  t.false(await alwaysOn.isChecked(), 'the admin\'s own dashboard has the switch');

  await page.goto('/admin');
  await page.getByRole('tab', { name: 'Apps' }).click();
  const field = page.getByLabel('App', { exact: true });
  await field.fill('my-app');
  await page.getByRole('button', { name: 'Make always on' }).click();
  await page.locator('#always-on-app-problem').getByText('No app id in "my-app"').waitFor();
  t.is(await field.getAttribute('aria-invalid'), 'true');
  await field.fill('zzzzzzzzzz');
  await page.getByRole('button', { name: 'Make always on' }).click();
  await page.locator('#always-on-app-problem').getByText('No such app.').waitFor();
  t.is(await page.getByRole('list', { name: 'Apps changed here' }).count(), 0, 'nothing changed');

  await field.fill(`http://app-${appId}.localhost:${p.port}/docs`);
  await page.getByRole('button', { name: 'Make always on' }).click();
  await page.getByRole('status').getByText(`App ${appId} is always on: it never sleeps.`).waitFor();
  const item = page.getByRole('list', { name: 'Apps changed here' }).locator(`[data-app-id="${appId}"]`);
  t.is(await item.locator('.badge').innerText(), 'Always on');
  t.regex(await item.innerText(), /Never: an admin made this app always on\./);
  t.is(await page.locator('#always-on-app-problem').count(), 0);
  const report = await checkScreen(page, 'admin-apps-always-on');
  t.deepEqual(report.axe, []);

  await page.goto(`/apps/${appId}/dashboard`);
  await card.getByTestId('sleep-rule').getByText('Never: an admin made this app always on.').waitFor();
  t.true(await alwaysOn.isChecked());
  t.is(await card.getByTestId('sleep-state').locator('.badge').innerText(), 'Always on');
  await alwaysOn.uncheck();
  await card.getByRole('status').getByText('No longer always on: it sleeps again when idle.').waitFor();
  t.is(await card.getByTestId('sleep-rule').innerText(), 'After 15 minutes without a request (the platform\'s default).');
  t.false((await pageApi(page).getSleep({ params: { appId } })).alwaysOn);

  // The platform's default: out of range refused beside the field, then 20 minutes everywhere.
  await page.goto('/admin');
  const idle = page.getByLabel('Idle apps sleep after (minutes)');
  t.is(await idle.inputValue(), '15');
  await idle.fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('#setting-idleTimeoutMinutes-problem').waitFor();
  t.is(await idle.getAttribute('aria-invalid'), 'true');
  await page.reload();
  t.is(await page.getByLabel('Idle apps sleep after (minutes)').inputValue(), '15', 'nothing changed');
  await page.getByLabel('Idle apps sleep after (minutes)').fill('20');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').getByText('Settings saved.').waitFor();
  await page.goto(`/apps/${appId}/dashboard`);
  await card.getByTestId('sleep-rule').getByText('After 20 minutes without a request (the platform\'s default).').waitFor();
  t.deepEqual(problems.filter((m) => !resourceError('(400|404)').test(m)), []);
});

test.serial('someone else\'s dashboard has no always-on switch, and a new app\'s metrics say there is nothing yet', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p, { width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'light' });
  await newUserWithBlankApp(page);
  const appId = appIdOf(page);
  await page.goto(`/apps/${appId}/dashboard`);
  const card = page.locator('section.sleep-card');
  await card.getByTestId('sleep-rule').waitFor();
  t.is(await card.getByLabel(/^Always on/).count(), 0);
  await page.getByText('No request in the last hour.', { exact: false }).waitFor();
  t.is(await page.getByTestId('chart-requests').count(), 0);
  const report = await checkScreen(page, 'dashboard-new-app-light');
  t.is(report.horizontalScroll, null);
  t.deepEqual(report.overlaps, []);
  t.deepEqual(report.axe, []);
  t.deepEqual(problems, []);
});

test.serial('the dashboard with its charts passes the layout and axe checks on a phone and a desktop, in both themes', async (t) => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    for (const theme of ['light', 'dark'] as const) {
      const { page, problems } = await openDashboard(t, viewport);
      await page.emulateMedia({ colorScheme: theme });
      await page.getByTestId('chart-requests').waitFor();
      await page.getByRole('figure', { name: /^Requests per minute/ }).getByText('Show as a table').click();
      await page.getByRole('figure', { name: 'Latency' }).locator('.plot').hover();
      const report = await checkScreen(page, `dashboard-charts-${theme}`);
      t.is(report.horizontalScroll, null, `${theme} ${viewport.width}: horizontal scroll`);
      t.deepEqual(report.overlaps, [], `${theme} ${viewport.width}: overlaps`);
      t.deepEqual(report.axe, [], `${theme} ${viewport.width}: axe`);
      t.deepEqual(problems, []);
      await page.close();
    }
  }
});
