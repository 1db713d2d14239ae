/**
 * What the proxy answers when it cannot hand a request to the app: a small HTML page for browsers
 * (the "starting" one refreshes itself), the API's JSON error shape for everything else.
 */
import type { ServerResponse } from 'node:http';

export interface ProxyPage {
  readonly status: 404 | 502 | 503;
  readonly code: 'app_not_found' | 'app_unavailable' | 'app_starting';
  readonly title: string;
  readonly message: string;
  /** Seconds after which trying again makes sense. */
  readonly retryAfter?: number;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function sendPage(res: ServerResponse, accept: string | undefined, requestId: string, page: ProxyPage): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-platform-request-id': requestId };
  if (page.retryAfter) headers['retry-after'] = String(page.retryAfter);
  if (accept?.includes('text/html')) {
    const refresh = page.retryAfter ? `<meta http-equiv="refresh" content="${page.retryAfter}">` : '';
    res.writeHead(page.status, { ...headers, 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">${refresh}`
      + `<title>${escape(page.title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;background:#1e1e1e;color:#ddd;display:grid;place-items:center;min-height:90vh;margin:0}`
      + `main{max-width:36rem;padding:1rem}h1{font-size:1.3rem}code{color:#9cdcfe}</style></head>`
      + `<body><main><h1>${escape(page.title)}</h1><p>${escape(page.message)}</p><p><small>Request <code>${requestId}</code></small></p></main></body></html>`);
    return;
  }
  res.writeHead(page.status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: page.code, message: page.message, requestId } }));
}
