/** The test panel's header box: one "Name: value" per line, to a record; blank lines are skipped. */
export function parseHeaders(text: string): { headers: Record<string, string>; problem: string | null } {
  const headers: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return { headers, problem: `Line ${index + 1} is not a header: write it as Name: value.` };
    headers[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, problem: null };
}

export function formatBody(body: string, contentType: string | undefined): string {
  if (!contentType?.includes('json')) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
