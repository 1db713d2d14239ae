/**
 * The test panel of one app: the request being written and the last 20 sent, both kept in
 * localStorage, so the panel works the same after a reload. Requests go through the API's test route.
 */
import { signal } from '@preact/signals';
import { api, type RequestOf, type TestResponse } from '../http/client';
import { parseHeaders } from '../lib/headers';
import { errorMessage } from '../lib/errors';

export interface TestDraft {
  method: string;
  path: string;
  headers: string;
  body: string;
}

export interface HistoryEntry {
  readonly request: TestDraft;
  readonly status: number;
  readonly latencyMs: number;
  readonly at: string;
}

/** The methods the test route takes; a draft from localStorage is checked by the API like any input. */
type TestMethod = RequestOf<'testRequest'>['body']['method'];

const blank: TestDraft = { method: 'GET', path: '/', headers: '', body: '' };

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? { ...fallback, ...(JSON.parse(raw) as T) } : fallback;
  } catch {
    return fallback;
  }
}

export function createTestPanelStore(appId: string) {
  const draftKey = `fp.test.${appId}.draft`;
  const historyKey = `fp.test.${appId}.history`;
  const draft = signal<TestDraft>(read(draftKey, blank));
  const history = signal<HistoryEntry[]>(read<{ entries: HistoryEntry[] }>(historyKey, { entries: [] }).entries);
  const response = signal<TestResponse | null>(null);
  const error = signal<string | null>(null);
  const sending = signal(false);

  function update(change: Partial<TestDraft>): void {
    draft.value = { ...draft.value, ...change };
    localStorage.setItem(draftKey, JSON.stringify(draft.value));
  }

  async function send(): Promise<void> {
    const request = draft.value;
    const { headers, problem } = parseHeaders(request.headers);
    if (problem) return void (error.value = problem);
    const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
    sending.value = true;
    error.value = null;
    try {
      const result = await api.testRequest({
        params: { appId },
        body: { method: request.method as TestMethod, path, headers, ...(['GET', 'HEAD'].includes(request.method) || !request.body ? {} : { body: request.body }) },
      });
      response.value = result;
      history.value = [{ request: { ...request, path }, status: result.status, latencyMs: result.latencyMs, at: new Date().toISOString() }, ...history.value].slice(0, 20);
      localStorage.setItem(historyKey, JSON.stringify({ entries: history.value }));
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      sending.value = false;
    }
  }

  return { draft, history, response, error, sending, update, send, load: (entry: HistoryEntry) => update(entry.request) };
}
