/**
 * bench/scale-api: the control plane's per-request costs and its restart, side by side with the
 * reference build (main's code where this branch started: `git merge-base HEAD main`, or REF),
 * extracted beside the repository and run as its own API process on the same data, in one run.
 *   - GET /api/apps?limit=25 for a user with 30 apps and for a user with 2,000 apps;
 *   - GET /api/apps/:id;
 *   - PUT /api/apps/:id/draft, 50 clients each on its own app, following its revision;
 *   - restart with 30 deployed apps (local runtime): until the API answers, until all 30 apps answer.
 * Each prints median, p99 and throughput for both builds, the ratio after/before, and the issue's
 * reference figures (issue 18) for the same scenario.
 *
 *   npm run bench:scale-api      (DURATION=10 seconds per scenario, REF=<commit>, RESTARTS=3 runs,
 *                                 ONLY=requests or ONLY=restart for one part)
 */
import autocannon from 'autocannon';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBed } from '../test/bed/index.js';
import { repoRoot } from '../test/bed/paths.js';
import { freePort } from '../scripts/lib/ports.js';
import { MongoClient } from 'mongodb';
import { databaseOf } from '../api/db/database.js';
import { newAppId } from '../api/db/ids.js';

const duration = Number(process.env.DURATION ?? 10);
const connections = 50;
const appDomain = 'apps.bench';

/** Main's code as it was where this branch started, extracted once per commit outside the repository. */
async function referenceBuild(): Promise<{ dir: string; commit: string }> {
  const commit = execFileSync('git', ['rev-parse', process.env.REF ?? execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: repoRoot }).toString().trim()], { cwd: repoRoot }).toString().trim();
  const dir = join(tmpdir(), `fp-bench-ref-${commit.slice(0, 12)}`);
  if (!existsSync(join(dir, 'api/main.ts'))) {
    await mkdir(dir, { recursive: true });
    execFileSync('bash', ['-c', `git archive ${commit} | tar -x -C ${dir}`], { cwd: repoRoot });
    await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  }
  return { dir, commit };
}

interface Build {
  readonly name: 'before' | 'after';
  readonly dir: string;
}

interface Running {
  readonly base: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const bed = await startBed(['mongo', 'python']);
const mongoUri = `${bed.env.FP_BED_MONGO_URI}bench_scale_${randomBytes(3).toString('hex')}`;
const secret = randomBytes(32).toString('hex');
const dataDir = await mkdtemp(join(tmpdir(), 'fp-bench-scale-'));

async function startApi(build: Build, runtime: 'none' | 'local'): Promise<Running> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: build.dir,
    stdio: ['ignore', 'ignore', process.env.VERBOSE ? 'inherit' : 'ignore'],
    env: {
      ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', RUNTIME: runtime, MONGO_URI: mongoUri, SECRET_KEY: secret,
      FP_PYTHON: bed.env.FP_BED_PYTHON ?? '', PUBLIC_URL: base, APP_DOMAIN: appDomain, LOGIN_RATE_PER_MINUTE: '1000000',
      DATA_DIR: dataDir, DATABASE_PROVIDER: 'none', APP_STARTUP_SECONDS: '600',
    },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    base, port, child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function json(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
  return res.status === 204 ? {} : (await res.json()) as Record<string, unknown>;
}

/** An app's answer through the platform's gateway (its Host header), as a status code. */
function appStatus(port: number, appId: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: `app-${appId}.${appDomain}` }, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const files = { 'app.py': 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/")\ndef index():\n    return {"hello": "bench"}\n' };

interface Figure { p50: number; p99: number; rps: number }

function fmt(f: Figure): string {
  return `median ${String(f.p50).padStart(5)} ms  p99 ${String(f.p99).padStart(5)} ms  ${f.rps.toFixed(0).padStart(6)} req/s`;
}

function side(name: string, before: Figure, after: Figure, reference: string): void {
  console.log(`${name}\n  before ${fmt(before)}\n  after  ${fmt(after)}\n  ratio after/before: throughput ×${(after.rps / before.rps).toFixed(2)}, median ×${(after.p50 / Math.max(before.p50, 0.01)).toFixed(2)}, p99 ×${(after.p99 / Math.max(before.p99, 0.01)).toFixed(2)}   (issue 18, before: ${reference})`);
}

async function cannon(url: string, token: string): Promise<Figure> {
  // One request first, unmeasured, in both builds: a user's first listing builds their directory.
  await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const result = await autocannon({ url, connections, duration, headers: { authorization: `Bearer ${token}` } });
  if (result.non2xx + result.errors > 0) throw new Error(`${url}: ${result.non2xx} not 2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average };
}

/** 50 closed loops, each saving its own app's draft on the revision the last save returned. */
async function draftSaves(base: string, token: string, appIds: string[]): Promise<Figure & { statuses: string }> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const deadline = performance.now() + duration * 1000;
  await Promise.all(appIds.map(async (appId) => {
    let revision = (await json(base, 'GET', `/api/apps/${appId}`, undefined, token)).draftRevision as number;
    while (performance.now() < deadline) {
      const begin = performance.now();
      const res = await fetch(`${base}/api/apps/${appId}/draft`, {
        method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ revision, files: { ...files, 'n.py': `N = ${revision}\n` } }),
      });
      const body = await res.json() as { revision?: number };
      latencies.push(performance.now() - begin);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (body.revision) revision = body.revision;
    }
  }));
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
  return { p50: at(0.5), p99: at(0.99), rps: sorted.length / duration, statuses: [...statuses].map(([c, n]) => `${c}×${n}`).join(' ') };
}

/** From spawning the API to its first answer, and to every app answering through the gateway. */
async function restart(build: Build, appIds: string[]): Promise<{ listenMs: number; allMs: number }> {
  const begin = performance.now();
  const api = await startApi(build, 'local');
  try {
    await until('the API answering', async () => ((await fetch(`${api.base}/api/health`)).status === 200 ? true : undefined));
    const listenMs = performance.now() - begin;
    await Promise.all(appIds.map((id) => until(`app ${id} answering`, async () => ((await appStatus(api.port, id)) === 200 ? true : undefined), 600_000)));
    return { listenMs, allMs: performance.now() - begin };
  } finally {
    await api.stop();
  }
}

const reference = await referenceBuild();
const builds: Build[] = [{ name: 'before', dir: reference.dir }, { name: 'after', dir: repoRoot }];
try {
  // The data, made once through this branch's API; both builds read the same documents.
  const setup = await startApi(builds[1] as Build, 'none');
  await until('the API answering', async () => ((await fetch(`${setup.base}/api/health`)).ok ? true : undefined));
  const password = 'bench password 1';
  const tokens: Record<'small' | 'big', string> = { small: '', big: '' };
  const ids: Record<'small' | 'big', string[]> = { small: [], big: [] };
  for (const [who, count] of [['small', 30], ['big', 50]] as const) {
    await json(setup.base, 'POST', '/api/auth/signup', { username: `bench-${who}`, email: `${who}@example.com`, password });
    tokens[who] = (await json(setup.base, 'POST', '/api/auth/login', { login: `bench-${who}`, password, mode: 'token' })).accessToken as string;
    if (who === 'small') await json(setup.base, 'PUT', '/api/admin/settings', { maxAppsPerUser: 2000 }, tokens.small);
    for (let batch = 0; batch < count / 10; batch++) {
      ids[who].push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => json(setup.base, 'POST', '/api/apps', { name: `${who} app ${batch * 10 + i}`, files }, tokens[who])))).map((a) => a.id as string));
    }
  }
  await setup.stop();
  // The big user's other 1,950 apps: copies of one made through the API, written straight to the
  // database (creating them over HTTP costs minutes on a shared 2-core machine and measures nothing here).
  const client = await MongoClient.connect(mongoUri);
  const db = databaseOf(client, new URL(mongoUri).pathname.slice(1));
  const model = await db.apps.findOne({ _id: ids.big[0] ?? '' });
  const draft = await db.drafts.findOne({ _id: `${ids.big[0] ?? ''}:1` });
  if (!model || !draft) throw new Error('the model app was not stored');
  for (let batch = 0; batch < 39; batch++) {
    const copies = Array.from({ length: 50 }, (_, i) => ({ id: newAppId(), at: new Date(model.createdAt.getTime() - (batch * 50 + i + 1) * 1000), name: `big app ${50 + batch * 50 + i}` }));
    await db.drafts.insertMany(copies.map((c) => ({ ...draft, _id: `${c.id}:1`, appId: c.id })));
    await db.apps.insertMany(copies.map((c) => ({ ...model, _id: c.id, name: c.name, nameKey: c.name, createdAt: c.at, updatedAt: c.at, lastActivityAt: c.at })));
    ids.big.push(...copies.map((c) => c.id));
  }
  await client.close();
  console.log(`bench/scale-api: ${availableParallelism()} cores, ${connections} connections, ${duration} s per scenario; before = ${reference.commit.slice(0, 12)} (main where this branch started), after = this working tree; same FerretDB data`);

  const figures: Record<string, Record<string, Figure>> = { before: {}, after: {} };
  for (const build of process.env.ONLY === 'restart' ? [] : builds) {
    const api = await startApi(build, 'none');
    try {
      await until('the API answering', async () => ((await fetch(`${api.base}/api/health`)).ok ? true : undefined));
      // Tokens were signed with the shared SECRET_KEY, so both builds accept them.
      const at = figures[build.name] as Record<string, Figure>;
      at.list30 = await cannon(`${api.base}/api/apps?limit=25`, tokens.small);
      at.list2000 = await cannon(`${api.base}/api/apps?limit=25`, tokens.big);
      at.get = await cannon(`${api.base}/api/apps/${ids.big[0]}`, tokens.big);
      const drafts = await draftSaves(api.base, tokens.big, ids.big.slice(0, connections));
      at.draft = drafts;
      console.error(`[bench] ${build.name}: draft saves ${drafts.statuses}`);
    } finally {
      await api.stop();
    }
  }
  const b = figures.before as Record<string, Figure>;
  const a = figures.after as Record<string, Figure>;
  if (process.env.ONLY !== 'restart') report(b, a);
  if (process.env.ONLY !== 'requests') await restartFigures(ids.small, tokens.small);
} finally {
  await bed.stop();
  await rm(dataDir, { recursive: true, force: true });
}

function report(b: Record<string, Figure>, a: Record<string, Figure>): void {
  side('GET /api/apps?limit=25, user with 30 apps', b.list30 as Figure, a.list30 as Figure, '4,600 req/s, p50 10 ms');
  side('GET /api/apps?limit=25, user with 2,000 apps', b.list2000 as Figure, a.list2000 as Figure, '910 req/s, p50 53 ms');
  for (const [name, f] of Object.entries({ before: b, after: a })) {
    console.log(`  ${name}: 2,000-app list at ×${((f.list2000 as Figure).rps / (f.list30 as Figure).rps).toFixed(2)} of the 30-app list's throughput (target ≥ 0.80)`);
  }
  side('GET /api/apps/:id (50 clients)', b.get as Figure, a.get as Figure, '215 req/s, p50 209 ms, vs list of 25 at 1,209 req/s');
  for (const [name, f] of Object.entries({ before: b, after: a })) {
    console.log(`  ${name}: get-one at ×${((f.get as Figure).rps / (f.list2000 as Figure).rps).toFixed(2)} of the list of 25's throughput (target ≥ 1.00)`);
  }
  side('PUT /api/apps/:id/draft (50 clients, own apps)', b.draft as Figure, a.draft as Figure, 'p50 598 ms, p99 7.6 s, 43/s');
  for (const [name, f] of Object.entries({ before: b, after: a })) {
    console.log(`  ${name}: draft p99 at ×${((f.draft as Figure).p99 / Math.max((f.draft as Figure).p50, 1)).toFixed(2)} of its median (target ≤ 3)`);
  }
}

async function restartFigures(small: string[], token: string): Promise<void> {
  const ids = { small };
  const tokens = { small: token };

  // Restart: 30 deployed apps on the local runtime, deployed once through this branch's API.
  const deployer = await startApi(builds[1] as Build, 'local');
  await until('the API answering', async () => ((await fetch(`${deployer.base}/api/health`)).ok ? true : undefined));
  // As many at a time as there are cores, each answering before the next (this is set-up, not measured).
  const toDeploy = [...ids.small];
  await Promise.all(Array.from({ length: availableParallelism() }, async () => {
    for (let id = toDeploy.shift(); id; id = toDeploy.shift()) {
      const appId = id;
      await json(deployer.base, 'POST', `/api/apps/${appId}/deploy`, {}, tokens.small);
      await until(`app ${appId} answering`, async () => ((await appStatus(deployer.port, appId)) === 200 ? true : undefined), 600_000);
    }
  }));
  await deployer.stop();
  const restarts: Record<string, { listenMs: number; allMs: number }[]> = { before: [], after: [] };
  const runs = Number(process.env.RESTARTS ?? 3);
  for (let i = 0; i < runs; i++) {
    for (const build of builds) (restarts[build.name] as { listenMs: number; allMs: number }[]).push(await restart(build, ids.small));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)] ?? 0;
  const worst = (xs: number[]) => Math.max(...xs);
  console.log(`Restart with 30 deployed apps (local runtime, ${runs} runs each; p99 of ${runs} runs is their worst)`);
  for (const name of ['before', 'after'] as const) {
    const r = restarts[name] as { listenMs: number; allMs: number }[];
    console.log(`  ${name.padEnd(6)} API answers: median ${(median(r.map((x) => x.listenMs)) / 1000).toFixed(2)} s, worst ${(worst(r.map((x) => x.listenMs)) / 1000).toFixed(2)} s;  all 30 apps answer: median ${(median(r.map((x) => x.allMs)) / 1000).toFixed(2)} s, worst ${(worst(r.map((x) => x.allMs)) / 1000).toFixed(2)} s`);
  }
  const rb = restarts.before as { listenMs: number; allMs: number }[];
  const ra = restarts.after as { listenMs: number; allMs: number }[];
  console.log(`  ratio after/before: API answers ×${(median(ra.map((x) => x.listenMs)) / median(rb.map((x) => x.listenMs))).toFixed(2)}, all apps ×${(median(ra.map((x) => x.allMs)) / median(rb.map((x) => x.allMs))).toFixed(2)}   (issue 18, before: API answers after 2.5-3.9 s, all 30 after 11.6-14.6 s)`);
}
