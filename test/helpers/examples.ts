/** Sends a template's example request to a running app and returns the status and body text. */
import type { ExampleRequest } from '../../templates/index.js';

export async function sendExample(baseUrl: string, example: ExampleRequest): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { ...example.headers };
  let body: string | undefined;
  if (typeof example.body === 'string') body = example.body;
  else if (example.body !== undefined) {
    body = JSON.stringify(example.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${example.path}`, { method: example.method, headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
  return { status: res.status, body: await res.text() };
}
