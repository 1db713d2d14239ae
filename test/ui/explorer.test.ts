/**
 * The HTTP explorer against real apps: the operations come from the app's own OpenAPI document (read
 * through the platform, found through the runner's /_platform/openapi, wherever the app put it); an
 * operation fills the path parameters and a JSON body skeleton from its schema; a JSON POST goes with
 * its Content-Type and gets 200 (no 422); the answer shows status, time, headers and a pretty body; the
 * history survives a reload. An app that switched its document off says so.
 */
import test from 'ava';
import { appAnswer, newUserWithBlankApp, openSession, pasteCode, sharedPlatform, waitLive } from '../helpers/ui.js';

const platform = sharedPlatform(test);

const itemsApp = [
  'from fastapi import FastAPI', 'from pydantic import BaseModel', '',
  'app = FastAPI(title="Shop", openapi_url="/api/schema.json")', '', '',
  'class Item(BaseModel):', '    name: str', '    price: float', '    tags: list[str] = []', '', '',
  '@app.post("/items/{shelf}")', 'def add(shelf: int, item: Item, note: str | None = None):',
  '    return {"shelf": shelf, "item": item, "note": note}', '', '',
  '@app.get("/items")', 'def items(limit: int = 10):', '    return {"limit": limit}', '',
].join('\n');

test.serial('the explorer lists the app\'s operations from its moved OpenAPI document and a JSON POST from the schema gets 200', async (t) => {
  const { page, problems } = await openSession(t, await platform());
  await newUserWithBlankApp(page);
  await pasteCode(page, itemsApp);
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitLive(page, 1);
  await page.getByRole('tab', { name: 'Test' }).click();
  const operations = page.getByRole('list', { name: 'Operations' });
  await operations.getByRole('button', { name: /POST \/items\/\{shelf\}/ }).waitFor();
  t.regex(await page.locator('.explorer-heading').innerText(), /\/api\/schema\.json/, 'found where the app moved it');
  t.deepEqual((await operations.getByRole('button').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim().split(' ·')[0]).sort(), ['GET /items', 'POST /items/{shelf}']);

  await operations.getByRole('button', { name: /POST \/items\/\{shelf\}/ }).click();
  t.is(await page.getByLabel('Method').inputValue(), 'POST');
  const body = JSON.parse(await page.getByLabel('Body', { exact: true }).inputValue()) as Record<string, unknown>;
  t.deepEqual(Object.keys(body).sort(), ['name', 'price', 'tags'], 'a skeleton of the Item schema');
  await page.getByLabel(/^shelf/).fill('7');
  await page.getByLabel(/^note/).fill('a b');
  t.is(await page.getByLabel('Path').inputValue(), '/items/7?note=a+b');
  await page.getByLabel('Body', { exact: true }).fill('{"name": "pen", "price": 1.5, "tags": ["office"]}');
  await page.getByRole('button', { name: 'Send' }).click();
  const response = page.getByTestId('test-response');
  await response.getByTestId('response-status').getByText('200', { exact: true }).waitFor();
  t.regex(await response.innerText(), /\d+ ms/);
  // Pretty-printed: one key per line.
  t.regex(await response.getByLabel('Response content').innerText(), /^\{\n {2}"shelf": 7,\n {2}"item": \{\n {4}"name": "pen"/);
  await response.getByText(/^Response headers \(\d+\)$/).click();
  t.regex(await response.locator('.headers-table').innerText(), /content-type\s+application\/json/);

  // The history and the request survive a reload.
  await page.reload();
  await page.getByRole('tab', { name: 'Test' }).click();
  t.is(await page.getByLabel('Path').inputValue(), '/items/7?note=a+b');
  await page.getByRole('button', { name: /POST \/items\/7\?note=a\+b/ }).waitFor();
  t.deepEqual(problems, []);
});

test.serial('a JSON body typed by hand gets a Content-Type, so FastAPI does not answer 422', async (t) => {
  const { page } = await openSession(t, await platform());
  await newUserWithBlankApp(page);
  await pasteCode(page, itemsApp);
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitLive(page, 1);
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByLabel('Method').selectOption('POST');
  await page.getByLabel('Path').fill('/items/3');
  await page.getByLabel('Body', { exact: true }).fill('{"name": "cup", "price": 2}');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('response-status').getByText('200', { exact: true }).waitFor();
  t.regex(await page.getByLabel('Response content').innerText(), /"shelf": 3/);
});

test.serial('an app that switched its OpenAPI document off says so, and requests by hand still work', async (t) => {
  const p = await platform();
  const { page } = await openSession(t, p);
  await newUserWithBlankApp(page);
  await pasteCode(page, 'from fastapi import FastAPI\n\napp = FastAPI(openapi_url=None)\n\n\n@app.get("/")\ndef index():\n    return {"hidden": True}\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  await waitLive(page, 1);
  await page.getByRole('tab', { name: 'Test' }).click();
  await page.getByText('This app switched off its OpenAPI document (openapi_url=None)').waitFor();
  // The runner says where the document is (nowhere), and serves no document of its own.
  t.deepEqual(JSON.parse((await appAnswer(p, page, '/_platform/openapi')).text), { framework: 'fastapi', openapi_url: null, docs_url: null, redoc_url: null });
  t.is((await appAnswer(p, page, '/openapi.json')).status, 404);
  await page.getByLabel('Path').fill('/');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByTestId('response-status').getByText('200', { exact: true }).waitFor();
});
