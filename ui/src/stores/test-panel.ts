/**
 * The HTTP explorer of one app: the app's own OpenAPI document (the runner says where it is at
 * /_platform/openapi, since an app may move or switch off `openapi_url`), its operations, the request
 * being written (an operation fills method, path and query parameters and a JSON body skeleton), and
 * the last 20 sent; the request and the history are kept in localStorage, so the panel works the same
 * after a reload. A body goes with a Content-Type (JSON when it parses as JSON) unless one is given.
 * Requests go through the API's test route, which reaches this app only.
 */
import { signal } from '@preact/signals';
import { api, type RequestOf, type TestResponse } from '../http/client';
import { parseHeaders } from '../lib/headers';
import { errorMessage } from '../lib/errors';
import { buildPath, contentTypeFor, operationsOf, type Operation } from '../lib/openapi';

export interface TestDraft {
  method: string;
  path: string;
  headers: string;
  body: string;
  /** The operation the request was started from ("post /items"), if any. */
  operation?: string;
  /** Its path and query parameters as typed. */
  params?: Record<string, string>;
}

export interface HistoryEntry {
  readonly request: TestDraft;
  readonly status: number;
  readonly latencyMs: number;
  readonly at: string;
}

export type SpecState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'ready'; readonly url: string; readonly title: string; readonly operations: readonly Operation[] };

/** The methods the test route takes; a draft from localStorage is checked by the API like any input. */
type TestMethod = RequestOf<'testRequest'>['body']['method'];

const blank: TestDraft = { method: 'GET', path: '/', headers: '', body: '' };
export const withoutBody = ['GET', 'HEAD', 'OPTIONS'];

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? { ...fallback, ...(JSON.parse(raw) as T) } : fallback;
  } catch {
    return fallback;
  }
}

/** The request's headers with a Content-Type for its body when none was given. */
export function requestHeaders(draft: TestDraft): { headers: Record<string, string>; problem: string | null } {
  const { headers, problem } = parseHeaders(draft.headers);
  if (!problem && draft.body && !withoutBody.includes(draft.method) && !('content-type' in headers)) headers['content-type'] = contentTypeFor(draft.body);
  return { headers, problem };
}

export function createTestPanelStore(appId: string) {
  const draftKey = `fp.test.${appId}.draft`;
  const historyKey = `fp.test.${appId}.history`;
  const draft = signal<TestDraft>(read(draftKey, blank));
  const history = signal<HistoryEntry[]>(read<{ entries: HistoryEntry[] }>(historyKey, { entries: [] }).entries);
  const response = signal<(TestResponse & { readonly sentAt: string }) | null>(null);
  const error = signal<string | null>(null);
  const sending = signal(false);
  const spec = signal<SpecState>({ kind: 'loading' });

  function update(change: Partial<TestDraft>): void {
    draft.value = { ...draft.value, ...change };
    localStorage.setItem(draftKey, JSON.stringify(draft.value));
  }

  const get = (path: string) => api.testRequest({ params: { appId }, body: { method: 'GET', path, headers: { accept: 'application/json' } } });

  /** Reads where the document is, then the document, both from the app itself. */
  async function loadSpec(): Promise<void> {
    spec.value = { kind: 'loading' };
    try {
      const where = await get('/_platform/openapi');
      if (where.status !== 200) return void (spec.value = { kind: 'none', reason: 'The app is not running, so its operations cannot be listed. Deploy it, or write a request by hand.' });
      const info = JSON.parse(where.body) as { openapi_url?: string | null; framework?: string };
      if (!info.openapi_url) {
        const reason = info.framework === 'fastapi'
          ? 'This app switched off its OpenAPI document (openapi_url=None), so there are no operations to list. Write a request by hand.'
          : 'This app publishes no OpenAPI document (only FastAPI apps do). Write a request by hand.';
        return void (spec.value = { kind: 'none', reason });
      }
      const answer = await get(info.openapi_url);
      if (answer.status !== 200) return void (spec.value = { kind: 'none', reason: `The app answered ${answer.status} at ${info.openapi_url}, where its OpenAPI document should be.` });
      const doc = JSON.parse(answer.body) as { info?: { title?: string } };
      spec.value = { kind: 'ready', url: info.openapi_url, title: doc.info?.title ?? '', operations: operationsOf(doc) };
    } catch (e) {
      spec.value = { kind: 'none', reason: `The app's OpenAPI document could not be read: ${errorMessage(e)}` };
    }
  }

  /** Starts a request from an operation: its method, its path with example parameters, a body skeleton. */
  function choose(operation: Operation): void {
    const params: Record<string, string> = {};
    for (const p of operation.parameters) if (p.in !== 'header') params[`${p.in}:${p.name}`] = p.example;
    update({ method: operation.method, operation: operation.key, params, body: operation.body ?? '', path: pathFrom(operation, params) });
  }

  function pathFrom(operation: Operation, params: Record<string, string>): string {
    const pick = (where: string) => Object.fromEntries(operation.parameters.filter((p) => p.in === where).map((p) => [p.name, params[`${where}:${p.name}`] ?? '']));
    return buildPath(operation.path, pick('path'), pick('query'));
  }

  function setParam(operation: Operation, key: string, value: string): void {
    const params = { ...draft.value.params, [key]: value };
    update({ params, path: pathFrom(operation, params) });
  }

  async function send(): Promise<void> {
    const request = draft.value;
    const { headers, problem } = requestHeaders(request);
    if (problem) return void (error.value = problem);
    const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
    sending.value = true;
    error.value = null;
    try {
      const result = await api.testRequest({
        params: { appId },
        body: { method: request.method as TestMethod, path, headers, ...(withoutBody.includes(request.method) || !request.body ? {} : { body: request.body }) },
      });
      response.value = { ...result, sentAt: new Date().toISOString() };
      history.value = [{ request: { ...request, path }, status: result.status, latencyMs: result.latencyMs, at: new Date().toISOString() }, ...history.value].slice(0, 20);
      localStorage.setItem(historyKey, JSON.stringify({ entries: history.value }));
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      sending.value = false;
    }
  }

  return { draft, history, response, error, sending, spec, update, loadSpec, choose, setParam, send, load: (entry: HistoryEntry) => update(entry.request) };
}

export type TestPanelStore = ReturnType<typeof createTestPanelStore>;
