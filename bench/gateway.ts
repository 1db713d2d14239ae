/**
 * bench/gateway: what the gateway costs in the request path, and what a wake costs against a cold start.
 *
 * Throughput and latency: one hello FastAPI runner (TCP), reached three ways under autocannon (its own
 * process, so this process's CPU is the proxy's alone) at 10 and 50 connections: directly; through a
 * 12-line Node proxy (the floor of any proxy in Node); and through the gateway (records, rollups,
 * owner lookups, the bed's MongoDB-protocol server behind it). Prints p50/p99 and req/s, the ratio to the
 * 12-line proxy, and the proxy's CPU per request.
 *
 * Wake: the local runtime's wake (sleep state written, runner stopped; the next request wakes it through
 * the gateway) beside the runner's bare cold start (spawn → first 200), interleaved, median and p99.
 *
 *   npm run bench:gateway          (DURATION=5 seconds per load run, WAKES=7)
 */
import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { connectDatabase } from '../api/db/database.js';
import { createGateway, gatewayServer, type AppBackend } from '../api/gateway/index.js';
import { startBed } from '../test/bed/index.js';
import { repoRoot } from '../test/bed/paths.js';
import { appRequest, newApp, signUp, startApi } from '../test/helpers/api.js';
import { startRunner, waitHealthy } from '../test/helpers/runner.js';
import { benchContext } from './deploy/context.js';
import { printTable, summarize } from './stats.js';

const run = promisify(execFile);
const duration = Number(process.env.DURATION ?? 5);
const wakes = Number(process.env.WAKES ?? 7);
const files = { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"hello": "bench"}\n' };

interface Load { p50: number; p99: number; rps: number; total: number; errors: number; cpuUsPerRequest: number }

/** autocannon as its own process: this process's CPU meanwhile is the proxy's. */
async function load(url: string, connections: number, host?: string): Promise<Load> {
  const cpu = process.cpuUsage();
  const { stdout } = await run(`${repoRoot}node_modules/.bin/autocannon`, [
    '-c', String(connections), '-d', String(duration), '--json', ...(host ? ['-H', `host=${host}`] : []), url,
  ], { maxBuffer: 64 * 1024 * 1024 });
  const used = process.cpuUsage(cpu);
  const result = JSON.parse(stdout) as { latency: { p50: number; p99: number }; requests: { average: number; total: number }; errors: number; timeouts: number; non2xx: number };
  return {
    p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, total: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx, cpuUsPerRequest: (used.user + used.system) / Math.max(1, result.requests.total),
  };
}

/** The floor: the smallest correct HTTP proxy in Node. */
function plainProxy(port: number): Server {
  return createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(upstream);
  });
}

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const context = benchContext();
try {
  const bed = await startBed(['mongo', 'python']);
  Object.assign(process.env, bed.env);
  context.teardown(() => bed.stop());
  const runner = await startRunner(context, { files });
  await waitHealthy(runner);

  const db = await connectDatabase(`${bed.env.FP_BED_MONGO_URI}bench_gateway_${process.pid}`, `bench_gateway_${process.pid}`);
  context.teardown(async () => { await db.db.dropDatabase(); await db.close(); });
  const appId = 'benchapp01';
  const appDomain = 'apps.bench';
  await db.apps.insertOne({ _id: appId, ownerId: 'bench-owner', name: 'bench', lastActivityAt: new Date(), deploy: { phase: 'running' } } as never);
  const backend: AppBackend = {
    resolve: async () => ({ kind: 'ready', upstream: { target: { host: '127.0.0.1', port: runner.port }, begin: () => () => {}, gone: null }, waitedMs: 0 }),
    replacement: async () => null,
  };
  const gateway = createGateway({ db, backend, waker: null, appDomain, protocol: 'http', replica: 'bench', log: () => {} });
  const gatewayHttp = gatewayServer({ gateway: gateway.gateway, appDomain, ready: () => true });
  const gatewayPort = (await gatewayHttp.listen(0, '127.0.0.1')).port;
  context.teardown(async () => { await gatewayHttp.close(); await gateway.close(); });
  const proxy = plainProxy(runner.port);
  const proxyPort = await listen(proxy);
  context.teardown(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  const host = `app-${appId}.${appDomain}`;
  console.log(`\nbench/gateway: hello FastAPI runner, ${duration} s per run, autocannon in its own process`);
  console.log(`${'path'.padEnd(26)} ${'conns'.padStart(5)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'req/s'.padStart(8)} ${'CPU/req'.padStart(9)}  × 12-line proxy (p50, req/s)`);
  for (const connections of [10, 50]) {
    const direct = await load(`http://127.0.0.1:${runner.port}/`, connections);
    const floor = await load(`http://127.0.0.1:${proxyPort}/`, connections, host);
    const ours = await load(`http://127.0.0.1:${gatewayPort}/`, connections, host);
    for (const [name, r] of [['direct to the runner', direct], ['12-line Node proxy', floor], ['the gateway', ours]] as const) {
      const ratio = name === 'the gateway' ? `  ${(r.p50 / Math.max(floor.p50, 0.001)).toFixed(2)}×, ${(r.rps / floor.rps).toFixed(2)}×` : '';
      const cpu = name === 'direct to the runner' ? '—' : `${r.cpuUsPerRequest.toFixed(0)} µs`;
      console.log(`${name.padEnd(26)} ${String(connections).padStart(5)} ${`${r.p50} ms`.padStart(7)} ${`${r.p99} ms`.padStart(7)} ${r.rps.toFixed(0).padStart(8)} ${cpu.padStart(9)}${ratio}${r.errors ? `  (${r.errors} errors)` : ''}`);
    }
  }
  await runner.stop();

  // Wake through the gateway on the local runtime, against the runner's bare cold start.
  const api = await startApi(context, { runtime: 'local' });
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Woken', files });
  await user.client.post(`/api/apps/${app.id}/deploy`, {});
  for (let i = 0; i < 600 && (await appRequest(api, app.id, '/')).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  const wakeSamples: number[] = [];
  const coldSamples: number[] = [];
  for (let i = 0; i < wakes; i++) {
    // What the sleep sweep does once an app is idle: the state first, then the runner stopped.
    await api.db.apps.updateOne({ _id: app.id }, { $set: { sleep: { state: 'sleeping', since: new Date() } } });
    api.services.wakes.remember(app.id, true);
    await api.runtime.sleep(app.id);
    const began = performance.now();
    const reply = await appRequest(api, app.id, '/');
    if (reply.status !== 200) throw new Error(`wake → ${reply.status} ${reply.body}`);
    wakeSamples.push(performance.now() - began);
    const cold = await startRunner(context, { files });
    await waitHealthy(cold, 30_000, 5);
    coldSamples.push(performance.now() - cold.spawnedAt);
    await cold.stop();
  }
  printTable('wake through the gateway (request → 200) vs the runner\'s bare cold start (spawn → healthy)', [
    ['runner cold start', summarize(coldSamples)],
    ['wake (local runtime, sandboxed)', summarize(wakeSamples)],
  ], 'runner cold start');
} finally {
  await context.close();
}
process.exit(0);
