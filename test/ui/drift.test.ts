/**
 * Drift shown: when reconciliation finds that what should run does not (here: the platform stopped,
 * taking its apps with it, and started again) and starts it again, the app's dashboard says what was
 * repaired and when, in its status and among its events.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../../scripts/lib/ports.js';
import { chromiumPath, mongoUri, uniqueName } from '../helpers/bed.js';
import { launch, shellEnv, type Launched } from '../helpers/platform-process.js';
import { appAnswer, appIdOf, newUserWithBlankApp, openSession, waitLive } from '../helpers/ui.js';

test('after a restart the dashboard says the platform found the app not running and started it again', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'fp-ui-drift-'));
  const port = await freePort();
  const mongo = new URL(mongoUri());
  mongo.pathname = `/${uniqueName('uidrift').replace(/-/g, '_')}`;
  const env = shellEnv({
    DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', MONGO_URI: mongo.toString(), SECRET_KEY: randomBytes(32).toString('hex'), LOGIN_RATE_PER_MINUTE: '1000',
  });
  let platform: Launched | null = await launch(env, port);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  t.teardown(async () => {
    await browser.close();
    if (platform) {
      platform.child.kill('SIGTERM');
      await platform.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });
  const p = { url: `http://localhost:${port}`, port, browser };
  const { page } = await openSession(t, p);
  await newUserWithBlankApp(page);
  const appId = appIdOf(page);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitLive(page, 1);
  await page.goto(`/apps/${appId}/dashboard`);
  await page.getByTestId('runtime-phase').getByText('Answering with version 1').waitFor();
  t.is(await page.getByTestId('last-repair').count(), 0, 'nothing repaired yet');

  const stopped = platform;
  platform = null;
  stopped.child.kill('SIGTERM');
  await stopped.exited;
  const before = Date.now();
  platform = await launch(env, port);
  await page.reload();
  const repair = page.getByTestId('last-repair');
  await repair.getByText(/Version 1 should have been running but nothing of it was \(found when the platform started\); the platform started it again\./).waitFor();
  const events = page.locator('section[aria-labelledby="events-heading"] li.drift');
  await events.getByText('Repaired drift').waitFor();
  const at = Date.parse((await events.first().locator('time').getAttribute('datetime')) ?? '');
  t.true(at >= before - 1000 && at <= Date.now(), 'when: during this start');
  t.is((await appAnswer(p, page, '/', appId)).status, 200, 'and it answers again');
});
