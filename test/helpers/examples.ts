/** A template's example request as HTTP (method, headers, body), and sending it to a running app. */
import type { ExampleRequest } from '../../templates/index.js';

export function exampleRequest(example: ExampleRequest): { method: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { ...example.headers };
  if (typeof example.body === 'string') return { method: example.method, headers, body: example.body };
  if (example.body === undefined) return { method: example.method, headers };
  headers['content-type'] ??= 'application/json';
  return { method: example.method, headers, body: JSON.stringify(example.body) };
}

export async function sendExample(baseUrl: string, example: ExampleRequest): Promise<{ status: number; body: string }> {
  const res = await fetch(`${baseUrl}${example.path}`, { ...exampleRequest(example), redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}
