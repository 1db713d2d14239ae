/**
 * The templates gallery in the browser: an edited app saved as a template from the editor's toolbar is
 * found under "Mine", hidden and (with "Show hidden") unhidden, renamed, and a new app made from it
 * serves the edited code; the framework filter lists only that framework; nobody else sees your
 * template; a refused save explains itself next to the field and makes nothing. The gallery and the
 * save dialog pass the layout and axe checks at 1280×800 and 390×844.
 */
import test, { type ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { checkScreen } from '../helpers/screen-checks.js';
import { routes, type RequestOf } from '../../contract/index.js';
import { appIdOf, newUserWithBlankApp, openSession, pageApi, pasteCode, sharedPlatform, signUpInUi, statusOf, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);
// Tests that paste code share the browser's one clipboard, so they run one at a time (test.serial).

const viewports = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];

interface Listed {
  id: string;
  title: string;
  framework: string;
  scope: string;
  hidden: boolean;
}

/**
 * The screen at each viewport (both by default), ending at the first: no horizontal scroll, no
 * overlapping boxes, no serious axe finding. Screens with the editor behind start narrow: Monaco does
 * not give back width when the window shrinks (its container keeps the wider size).
 */
async function checkAt(t: ExecutionContext, page: Page, name: string, sizes = viewports): Promise<void> {
  for (const viewport of sizes) {
    await page.setViewportSize(viewport);
    const report = await checkScreen(page, name);
    const at = `${name} at ${viewport.width}×${viewport.height}`;
    t.is(report.horizontalScroll, null, `${at}: horizontal scroll ${JSON.stringify(report.horizontalScroll)}`);
    t.deepEqual(report.overlaps, [], `${at}: overlapping boxes`);
    t.deepEqual(report.axe, [], `${at}: axe`);
  }
  if (sizes[0]) await page.setViewportSize(sizes[0]);
}

async function listed(page: Page, query: RequestOf<'listTemplates'>['query'] = { scope: 'all', includeHidden: 'true' }): Promise<Listed[]> {
  return (await pageApi(page).listTemplates({ query })).templates;
}

const gallery = (page: Page) => page.getByRole('list', { name: 'Templates' });
const card = (page: Page, title: string) => gallery(page).getByRole('listitem').filter({ has: page.getByText(title, { exact: true }) });

async function openSaveDialog(page: Page) {
  // Save as template is among the editor's less frequent actions, under More.
  await page.getByLabel(/^More actions for /).click();
  await page.getByRole('button', { name: 'Save as template' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save as template' });
  await dialog.waitFor();
  return dialog;
}

test.serial('an edited app saved as a template is found under Mine, hidden, unhidden, renamed, and a new app from it serves the edited code', async (t) => {
  const p = await platform();
  const { page, problems } = await openSession(t, p);
  await newUserWithBlankApp(page);
  const marker = `templated-marker-${randomBytes(4).toString('hex')}`;
  await pasteCode(page, `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"message": "${marker}"}\n`);
  await page.keyboard.press('ControlOrMeta+S');
  await page.getByText(/Draft saved \(revision 2\)/).waitFor();

  const dialog = await openSaveDialog(page);
  await checkAt(t, page, 'templates-save-dialog', viewports.slice(0, 1));
  const title = `Marker service ${randomBytes(3).toString('hex')}`;
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Description').fill('Answers with a marker, to prove templates carry code.');
  await dialog.getByLabel('Complexity').selectOption('intermediate');
  await dialog.getByLabel('Tags').fill('Demo, Marker, demo');
  await dialog.getByRole('button', { name: 'Save template' }).click();
  await dialog.getByRole('status').getByText(`Saved “${title}” as your template.`, { exact: false }).waitFor();
  const [saved] = (await listed(page, { scope: 'mine' })) as (Listed & { tags: string[]; complexity: string })[];
  t.is(saved?.title, title);
  t.deepEqual(saved?.tags, ['demo', 'marker'], 'tags are lower-cased, without duplicates');
  t.is(saved?.complexity, 'intermediate');

  // The link preselects the new template on the new-app page.
  await dialog.getByRole('link', { name: 'Start a new app from it' }).click();
  await page.waitForURL(`**/apps/new?template=${saved?.id}`);
  await card(page, title).waitFor();
  t.is(await card(page, title).getByRole('button', { pressed: true }).count(), 1, 'the linked template is chosen');
  await page.getByText(`Starts from the template “${title}”.`).waitFor();
  await checkAt(t, page, 'templates-gallery');

  // Under "Mine": only this user's template, not the blank app nor the global ones.
  await page.getByRole('radio', { name: 'Mine' }).check();
  await page.getByText('Hello FastAPI', { exact: true }).waitFor({ state: 'detached' });
  t.is(await gallery(page).getByRole('listitem').count(), 1);
  t.regex(await card(page, title).innerText(), /FastAPI · intermediate · yours/);

  // Hidden: gone from the gallery, and the empty state says why the list is empty.
  await page.getByRole('button', { name: `Hide ${title}`, exact: true }).click();
  await card(page, title).waitFor({ state: 'detached' });
  await page.getByText('No template matches these filters.').waitFor();
  await checkAt(t, page, 'templates-gallery-empty');

  // "Show hidden" lists it again, marked, with Unhide; once unhidden it stays without the toggle.
  await page.getByRole('checkbox', { name: 'Show hidden' }).check();
  await card(page, title).getByText('Hidden', { exact: true }).waitFor();
  await page.getByRole('button', { name: `Unhide ${title}` }).click();
  await page.getByText(`“${title}” is back in your gallery.`).waitFor();
  await page.getByRole('button', { name: `Hide ${title}`, exact: true }).waitFor();
  // The card is already there before the list reloads: wait for the reload without hidden templates.
  const reloaded = page.waitForResponse((r) => new URL(r.url()).pathname === routes.listTemplates.path && !r.url().includes('includeHidden=true'));
  await page.getByRole('checkbox', { name: 'Show hidden' }).uncheck();
  await reloaded;
  await gallery(page).and(page.locator('[aria-busy="false"]')).waitFor();
  await page.getByRole('button', { name: `Hide ${title}`, exact: true }).waitFor();
  t.is(await card(page, title).getByText('Hidden', { exact: true }).count(), 0, 'listed without the toggle, not marked hidden');
  const afterUnhide = (await listed(page, { scope: 'all' })).find((x) => x.id === saved?.id);
  t.truthy(afterUnhide, 'still listed after unhide');
  t.is(afterUnhide?.hidden, false, 'no longer hidden for its owner');

  // Edited in the dialog: the new title shows; the old one is gone.
  const renamed = `${title} renamed`;
  await page.getByRole('button', { name: `Edit ${title}` }).click();
  const edit = page.getByRole('dialog', { name: 'Edit template' });
  t.is(await edit.getByLabel('Tags').inputValue(), 'demo, marker');
  await edit.getByLabel('Title').fill(renamed);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.waitFor({ state: 'detached' });
  await card(page, renamed).waitFor();
  t.is(await card(page, title).count(), 0);

  // A new app from it serves the template's (the first app's edited) code.
  await page.getByRole('radio', { name: 'All' }).check();
  await page.getByText('Hello FastAPI', { exact: true }).waitFor();
  await gallery(page).getByText(renamed, { exact: true }).click();
  await page.getByRole('button', { name: 'Create and deploy' }).click();
  await page.waitForURL(/\/apps\/[a-z0-9]{10}/);
  await page.locator('.monaco-editor').waitFor();
  await waitLive(page, 1);
  const tab = await page.context().newPage();
  const res = await tab.goto(`http://app-${appIdOf(page)}.localhost:${p.port}/`);
  t.is(res?.status(), 200);
  t.regex(await tab.locator('body').innerText(), new RegExp(marker));
  await tab.close();
  t.deepEqual(problems, []);
});

test('the framework filter lists only that framework\'s templates', async (t) => {
  const { page, problems } = await openSession(t, await platform());
  await signUpInUi(page);
  await page.getByText('Hello FastAPI', { exact: true }).waitFor();
  await page.getByLabel('Framework').selectOption('fasthtml');
  await page.getByText('Hello FastAPI', { exact: true }).waitFor({ state: 'detached' });
  await page.getByText('Hello FastHTML', { exact: true }).waitFor();
  t.is(await page.getByRole('list', { name: 'Templates' }).getByText('Blank FastAPI app', { exact: true }).count(), 0, 'the blank app is FastAPI');
  const shown = await gallery(page).getByRole('listitem').evaluateAll((items) => items.map((li) => li.getAttribute('data-template-id')));
  const fasthtml = await listed(page, { framework: 'fasthtml' });
  t.true(fasthtml.length >= 2);
  t.true(fasthtml.every((x) => x.framework === 'fasthtml'));
  t.deepEqual(shown, fasthtml.map((x) => x.id));
  for (const text of await gallery(page).getByRole('listitem').allInnerTexts()) t.regex(text, /FastHTML · /);
  t.deepEqual(problems, []);
});

test('another user never sees your template', async (t) => {
  const p = await platform();
  const first = await openSession(t, p);
  await newUserWithBlankApp(first.page);
  const dialog = await openSaveDialog(first.page);
  const title = `Private template ${randomBytes(3).toString('hex')}`;
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Description').fill('Only for its owner.');
  await dialog.getByRole('button', { name: 'Save template' }).click();
  const link = dialog.getByRole('link', { name: 'Start a new app from it' });
  await link.waitFor();
  const id = /template=([a-f0-9]{24})/.exec(await link.getAttribute('href') ?? '')?.[1] ?? '';
  t.truthy(id);

  const second = await openSession(t, p);
  await signUpInUi(second.page);
  await second.page.getByText('Hello FastAPI', { exact: true }).waitFor();
  t.is(await second.page.getByText(title).count(), 0);
  await second.page.getByRole('radio', { name: 'Mine' }).check();
  await second.page.getByRole('checkbox', { name: 'Show hidden' }).check();
  await second.page.getByText('No template matches these filters.').waitFor();
  t.false((await listed(second.page)).some((x) => x.id === id));
  t.is(await statusOf(pageApi(second.page).getTemplate({ params: { templateId: id } })), 404);
  // Nor through the link: the template cannot be chosen.
  await second.page.goto(`/apps/new?template=${id}`);
  await second.page.getByRole('alert').getByText(/The template in the link cannot be used/).waitFor();
  await second.page.getByText('Starts from a blank FastAPI app.').waitFor();
  t.deepEqual(first.problems, []);
  t.deepEqual(second.problems.filter((x) => !/404/.test(x)), []);
});

test('fails when the title is too short: the problem shows next to the field, nothing is made, Escape closes', async (t) => {
  const narrow = viewports[1] ?? { width: 390, height: 844 };
  const { page, problems } = await openSession(t, await platform(), narrow);
  await newUserWithBlankApp(page);
  const dialog = await openSaveDialog(page);
  await checkAt(t, page, 'templates-save-dialog', [narrow]);
  await dialog.getByLabel('Title').fill('ab');
  await dialog.getByLabel('Description').fill('Too short a title.');
  await dialog.getByRole('button', { name: 'Save template' }).click();
  await dialog.getByRole('alert').getByText('Please fix the fields marked below.').waitFor();
  const titleField = dialog.getByLabel('Title');
  t.is(await titleField.getAttribute('aria-invalid'), 'true');
  const problemId = (await titleField.getAttribute('aria-describedby'))?.split(' ').find((x) => x.endsWith('-problem'));
  t.regex(await dialog.locator(`#${problemId}`).innerText(), /3/);
  await checkAt(t, page, 'templates-save-dialog-error', [narrow, ...viewports.slice(0, 1)]);
  t.true((await listed(page)).every((x) => x.scope === 'global'), 'no template of yours was made');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // The refused request's 400 is logged by the browser; nothing else went wrong.
  t.deepEqual(problems.filter((x) => !/400 \(Bad Request\)/.test(x)), []);
});
