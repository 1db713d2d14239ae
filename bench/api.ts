/**
 * bench/api: the API under 50 concurrent clients (autocannon), as its own process (api/main.ts) on the
 * bed's MongoDB-protocol server, with the machine's core count. Scenarios: sign-in (scrypt), list apps
 * of a user with 1,000 apps, get one app, save a draft (each connection on its own app, following its
 * revision). Prints p50, p99 and requests/s.
 *
 *   npm run bench:api            (DURATION=10 seconds per scenario by default)
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { startBed } from '../test/bed/index.js';
import { freePort } from '../scripts/lib/ports.js';
import { repoRoot } from '../test/bed/paths.js';

const duration = Number(process.env.DURATION ?? 10);
const connections = 50;

const bed = await startBed(['mongo', 'python']);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const api = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
  cwd: repoRoot,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', RUNTIME: 'none',
    MONGO_URI: `${bed.env.FP_BED_MONGO_URI}bench_api_${randomBytes(3).toString('hex')}`, SECRET_KEY: randomBytes(32).toString('hex'),
    FP_PYTHON: bed.env.FP_BED_PYTHON ?? '', PUBLIC_URL: base, LOGIN_RATE_PER_MINUTE: '1000000',
  },
});

async function json(method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
  return res.status === 204 ? {} : (await res.json()) as Record<string, unknown>;
}

function report(name: string, result: autocannon.Result): void {
  const errors = result.errors + result.timeouts + result.non2xx;
  const codes = Object.entries((result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {}).map(([code, s]) => `${code}×${s.count}`).join(' ');
  console.log(`${name.padEnd(34)} p50 ${String(result.latency.p50).padStart(5)} ms  p99 ${String(result.latency.p99).padStart(5)} ms  ${result.requests.average.toFixed(0).padStart(6)} req/s  (${result.requests.total} requests, ${errors} not 2xx: ${codes})`);
}

try {
  for (let i = 0; i < 200; i++) {
    try { await json('GET', '/api/health'); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  const password = 'bench password 1';
  await json('POST', '/api/auth/signup', { username: 'bencher', email: 'bench@example.com', password });
  const accessToken = (await json('POST', '/api/auth/login', { login: 'bencher', password, mode: 'token' })).accessToken as string;
  // The first user is the admin: allow the 1,000 apps this scenario needs.
  await json('PUT', '/api/admin/settings', { maxAppsPerUser: 2000 }, accessToken);
  const files = { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/")\ndef index():\n    return {"hello": "bench"}\n' };
  const ids: string[] = [];
  for (let batch = 0; batch < 100; batch++) {
    ids.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => json('POST', '/api/apps', { name: `bench app ${batch * 10 + i}`, files }, accessToken)))).map((a) => a.id as string));
  }
  console.log(`bench/api: ${cpus().length} cores, ${connections} connections, ${duration} s per scenario, API process + FerretDB on this machine; user with ${ids.length} apps`);
  const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const run = (opts: autocannon.Options) => autocannon({ connections, duration, ...opts });

  report('POST /api/auth/login', await run({
    url: `${base}/api/auth/login`, method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'bencher', password, mode: 'token' }),
  }));
  report('GET /api/apps (25 of 1,000)', await run({ url: `${base}/api/apps?limit=25`, headers: auth }));
  report('GET /api/apps/:id', await run({ url: `${base}/api/apps/${ids[0]}`, headers: auth }));
  // Draft saves depend on the previous answer (the revision), which autocannon cannot carry per
  // connection; 50 closed loops over keep-alive fetch do the same job.
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const deadline = performance.now() + duration * 1000;
  await Promise.all(ids.slice(0, connections).map(async (appId) => {
    let revision = 1;
    while (performance.now() < deadline) {
      const begin = performance.now();
      const res = await fetch(`${base}/api/apps/${appId}/draft`, {
        method: 'PUT', headers: auth, body: JSON.stringify({ revision, files: { ...files, 'n.py': `N = ${revision}\n` } }),
      });
      const body = await res.json() as { revision?: number };
      latencies.push(performance.now() - begin);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (body.revision) revision = body.revision;
    }
  }));
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
  console.log(`${'PUT /api/apps/:id/draft'.padEnd(34)} p50 ${String(at(0.5)).padStart(5)} ms  p99 ${String(at(0.99)).padStart(5)} ms  ${(sorted.length / duration).toFixed(0).padStart(6)} req/s  (${sorted.length} requests: ${[...statuses].map(([c, n]) => `${c}×${n}`).join(' ')})`);
} finally {
  api.kill('SIGTERM');
  await new Promise((resolve) => api.on('exit', resolve));
  await bed.stop();
}
