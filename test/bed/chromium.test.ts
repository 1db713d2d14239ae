/** Debian's Chromium, driven by playwright-core, renders and clicks a page served on loopback. */
import test from 'ava';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../helpers/bed.js';

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

test('playwright-core drives Debian chromium through a click on a loopback page', async (t) => {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<button onclick="document.title=\'clicked\'">Go</button>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByRole('button', { name: 'Go' }).click();
  t.is(await page.title(), 'clicked');
});
