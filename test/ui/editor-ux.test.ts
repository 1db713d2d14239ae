/**
 * What a new user tripped over in the editor, done again the way they did it: the file tree has
 * folders and names that never wrap mid-word, and deleting a file uses the platform's own dialog (never
 * the browser's confirm()); the toolbar stays one line and the code does not move during a deploy; the
 * side panel is not clipped at 1280 px; the new-app page shows "Create and deploy" and a code preview
 * without scrolling and no Hide on every card; logs carry times, can be searched and downloaded; and
 * the smaller things (the password hint once, tags that would change are said, the login page says
 * what this is, the navigation on one line on a phone, keyboard-shortcut help, a light theme).
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { newUserWithBlankApp, openSession, pasteCode, sharedPlatform, signUpInUi, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);

async function addFile(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add file' }).click();
  await page.getByLabel('New file name').fill(name);
  await page.getByLabel('New file name').press('Enter');
}

test.serial('the file tree has folders, keeps long names on one line, and deletes through the platform\'s dialog', async (t) => {
  const { page, problems } = await openSession(t, await platform());
  const browserDialogs: string[] = [];
  page.on('dialog', (dialog) => { browserDialogs.push(dialog.message()); void dialog.dismiss(); });
  await newUserWithBlankApp(page);
  const files = page.getByRole('navigation', { name: 'Files' });
  const long = 'lib/deep/a_really_long_module_name_for_helpers_and_utilities.py';
  await addFile(page, long);
  await addFile(page, 'lib/util.py');
  await addFile(page, 'static/site.css');
  // Folders, each a button that opens and closes, files inside them by their own names.
  const lib = files.getByRole('button', { name: 'lib/', exact: true });
  t.is(await lib.getAttribute('aria-expanded'), 'true');
  await files.getByRole('button', { name: 'deep/', exact: true }).waitFor();
  t.is(await files.getByRole('button', { name: long, exact: true }).innerText(), 'a_really_long_module_name_for_helpers_and_utilities.py');
  // One line: the height of a single row, cut with an ellipsis instead of wrapping mid-word.
  const box = await files.getByRole('button', { name: long, exact: true }).boundingBox();
  t.true((box?.height ?? 99) <= 30, `one line high: ${box?.height}`);
  t.true(await files.getByRole('button', { name: long, exact: true }).evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).textOverflow === 'ellipsis'));
  t.is(await files.getByRole('button', { name: long, exact: true }).getAttribute('title'), long, 'the whole name on hover');
  // Closing a folder hides what is in it (the file being edited is in lib/deep, so open app.py first).
  await files.getByRole('button', { name: 'app.py', exact: true }).click();
  await lib.click();
  t.is(await lib.getAttribute('aria-expanded'), 'false');
  await files.getByRole('button', { name: 'lib/util.py', exact: true }).waitFor({ state: 'detached' });
  await lib.click();
  // Delete: the platform's own dialog; Cancel keeps the file; nothing from the browser.
  await files.getByRole('button', { name: 'Delete lib/util.py' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete lib/util.py?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await files.getByRole('button', { name: 'lib/util.py', exact: true }).waitFor();
  await files.getByRole('button', { name: 'Delete lib/util.py' }).click();
  await dialog.getByRole('button', { name: 'Delete file' }).click();
  await files.getByRole('button', { name: 'lib/util.py', exact: true }).waitFor({ state: 'detached' });
  t.deepEqual(browserDialogs, []);
  t.deepEqual(problems, []);
});

test.serial('during a deploy the toolbar stays one line and the code does not move; the side panel is not clipped at 1280 px', async (t) => {
  const { page } = await openSession(t, await platform(), { width: 1280, height: 800 });
  await newUserWithBlankApp(page);
  await pasteCode(page, `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"line": "${'long-words-'.repeat(40)}"}\n`);
  const measure = () => page.evaluate(() => {
    const toolbar = document.querySelector('.editor-toolbar') as HTMLElement;
    const tops = [...toolbar.querySelectorAll('button, a.button, summary')].filter((el) => el.checkVisibility()).map((el) => Math.round(el.getBoundingClientRect().top / 6));
    return { height: toolbar.getBoundingClientRect().height, code: Math.round(document.querySelector('.code-pane')?.getBoundingClientRect().top ?? 0), rows: new Set(tops).size };
  });
  const before = await measure();
  t.is(before.rows, 1, 'one line');
  const seen: { height: number; code: number; rows: number }[] = [];
  const sampling = (async () => {
    for (let i = 0; i < 80; i++) {
      seen.push(await measure());
      await page.waitForTimeout(50);
    }
  })();
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitLive(page, 1);
  await sampling;
  t.true(seen.length > 10);
  t.deepEqual([...new Set(seen.map((s) => s.height))], [before.height], 'the toolbar keeps its height');
  t.deepEqual([...new Set(seen.map((s) => s.code))], [before.code], 'the code does not move');
  t.deepEqual([...new Set(seen.map((s) => s.rows))], [1], 'never wraps');

  // A long answer in the side panel wraps inside it: nothing reaches past the window's edge.
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByLabel('Path').fill('/');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('response-status').getByText('200').waitFor();
  const clip = await page.evaluate(() => {
    const side = document.querySelector('.side') as HTMLElement;
    const body = document.querySelector('.response-body') as HTMLElement;
    return { sideRight: side.getBoundingClientRect().right, bodyRight: body.getBoundingClientRect().right, overflow: body.scrollWidth - body.clientWidth, width: innerWidth };
  });
  t.true(clip.sideRight <= clip.width, `the panel ends inside the window: ${JSON.stringify(clip)}`);
  t.true(clip.bodyRight <= clip.sideRight, 'the body stays inside the panel');
  t.true(clip.overflow <= 1, 'long lines wrap instead of being cut');
});

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test.serial(`the new-app page shows "Create and deploy" and the code without scrolling, and no Hide on every card, at ${viewport.width}×${viewport.height}`, async (t) => {
    const { page } = await openSession(t, await platform(), viewport);
    await signUpInUi(page);
    const create = page.getByRole('button', { name: 'Create and deploy' });
    const inView = async () => {
      const box = await create.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= viewport.height;
    };
    t.true(await inView(), 'in view on arrival');
    await page.getByText('Hello FastAPI', { exact: true }).click();
    await page.getByRole('figure', { name: 'Code of app.py' }).getByText('from fastapi import FastAPI', { exact: false }).waitFor();
    if (viewport.width > 900) t.true(await inView(), 'still in view after choosing');
    // Hide is offered for the chosen template only.
    t.is(await page.getByRole('button', { name: /^Hide / }).count(), 1);
    await page.getByRole('button', { name: /^Hide Hello FastAPI$/ }).waitFor();
  });
}

test.serial('logs show each line\'s time, can be searched and downloaded', async (t) => {
  const { page } = await openSession(t, await platform());
  await newUserWithBlankApp(page);
  await pasteCode(page, 'from fastapi import FastAPI\n\napp = FastAPI()\nprint("apple pie", flush=True)\nprint("banana split", flush=True)\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitLive(page, 1);
  await page.getByRole('tab', { name: 'Logs' }).click();
  const logs = page.getByTestId('logs');
  await logs.getByText('banana split').waitFor();
  const line = logs.locator('.line', { hasText: 'apple pie' });
  t.regex(await line.locator('time').innerText(), /^\d\d:\d\d:\d\d\.\d{3}$/);
  t.truthy(await line.locator('time').getAttribute('datetime'));
  await page.getByLabel('Search the logs').fill('BANANA');
  await logs.getByText('apple pie').waitFor({ state: 'detached' });
  t.is(await logs.locator('mark').innerText(), 'banana');
  await page.getByText(/^1 of \d+ lines match\.$/).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download' }).click();
  const file = await download;
  t.regex(file.suggestedFilename(), /^app-[a-z0-9]{10}-logs-.*\.txt$/);
  const text = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  t.regex(text, /^\d{4}-\d\d-\d\dT\S+ stdout v1 apple pie$/m, 'every line held, with its full time, not only the matches');
});

test.serial('the smaller things: the login page says what this is, the password hint once, tags said, one-line navigation on a phone, shortcuts, a light theme', async (t) => {
  const { page } = await openSession(t, await platform(), { width: 390, height: 844 });
  await page.goto('/login');
  await page.getByText('FastAPI Platform').first().waitFor();
  await page.getByText(/Write FastAPI or FastHTML apps in your browser/).waitFor();

  await page.goto('/signup');
  await page.getByLabel('Username').fill(`hint${Date.now().toString(36)}`);
  await page.getByLabel('Email').fill(`hint${Date.now().toString(36)}@example.com`);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  const form = page.locator('form');
  await form.locator('.problem').first().waitFor();
  const text = await form.innerText();
  t.is(text.match(/8 characters/gi)?.length ?? 0, 1, `the password rule once: ${text}`);

  await signUpInUi(page);
  // The top bar is one line: its height, every link on the same row.
  const bar = await page.evaluate(() => {
    const header = document.querySelector('.topbar') as HTMLElement;
    const tops = [...header.querySelectorAll('nav a')].map((a) => Math.round(a.getBoundingClientRect().top));
    return { height: header.getBoundingClientRect().height, rows: new Set(tops).size, scroll: document.documentElement.scrollWidth - innerWidth };
  });
  t.is(bar.rows, 1);
  t.true(bar.height <= 50, `one line high: ${bar.height}`);
  t.true(bar.scroll <= 0);

  // "?" lists the shortcuts.
  await page.goto('/apps');
  await page.getByRole('heading', { name: 'No apps yet' }).waitFor();
  await page.keyboard.press('?');
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await shortcuts.getByText('Save and deploy (in the editor)').waitFor();
  await page.keyboard.press('Escape');
  await shortcuts.waitFor({ state: 'detached' });

  // The theme: the system's by default (dark here), the toggle switches and the choice survives a reload.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  t.is(await background(), 'rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('button', { name: /^Auto theme/ }).click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  await page.reload();
  await page.getByRole('heading', { name: 'No apps yet' }).waitFor();
  t.is(await page.evaluate(() => document.documentElement.dataset.theme), 'light', 'the choice is kept');

  // Tags that saving would change are said before saving.
  await page.goto('/apps/new');
  await page.getByRole('button', { name: 'Create without deploying' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await page.getByLabel(/^More actions for /).click();
  await page.getByRole('button', { name: 'Save as template' }).click();
  await page.getByLabel('Tags').fill('Bad Tag, api');
  await page.getByText('Saved as: bad-tag, api').waitFor();
});

test.serial('the dashboard speaks plainly: no "Recorded" or "Runtime" labels', async (t) => {
  const { page } = await openSession(t, await platform());
  await newUserWithBlankApp(page);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitLive(page, 1);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  const status = page.locator('section[aria-labelledby="status-heading"]');
  await status.getByText('Answering with version 1').waitFor();
  const terms = await status.locator('dt').allInnerTexts();
  t.false(terms.includes('Recorded'));
  t.false(terms.includes('Runtime'));
  t.deepEqual(terms, ['Deployed', 'Right now', 'Address', 'Draft']);
});
