/**
 * bench/databases: what a tenant's database costs on the embedded default (one FerretDB per tenant in
 * the tenant's sandbox), through the real API on the local runtime.
 *   - provisioning: a new user's first use (GET /api/databases makes the default database, starting the
 *     tenant's server) → the first successful write, as the database's own user;
 *   - idle RSS of one tenant's server;
 *   - explorer pages over a 100,000-document collection with a range filter: the first page (the query)
 *     and the following pages (getMore on the same server cursor), beside re-running the query with
 *     skip for each page (what one cursor avoids). Target: page p99 ≤ 500 ms.
 *
 *   npm run bench:databases       (RUNS=20 users provisioned; DOCS=100000)
 */
import { cpus } from 'node:os';
import { startBed } from '../test/bed/index.js';
import { signUp, startApi } from '../test/helpers/api.js';
import type { LocalRuntime } from '../api/runtime/local/runtime.js';
import { benchContext } from './deploy/context.js';
import { printTable, summarize } from './stats.js';

const runs = Number(process.env.RUNS ?? 20);
const docs = Number(process.env.DOCS ?? 100_000);
const bed = await startBed(['python', 'mongo']);
Object.assign(process.env, bed.env);
const context = benchContext();
try {
  console.log(`bench/databases: ${cpus().length} cores, ${runs} tenants provisioned, ${docs} documents`);
  const api = await startApi(context, { runtime: 'local', env: { DATABASE_IDLE_SECONDS: '600' } });
  const runtime = api.runtime as LocalRuntime;
  const provisioning: number[] = [];
  const rss: number[] = [];
  let last: Awaited<ReturnType<typeof signUp>> | null = null;
  for (let i = 0; i < runs; i++) {
    const user = await signUp(api);
    last = user;
    const begin = performance.now();
    const listed = await user.client.get('/api/databases');
    const [db] = listed.body.databases;
    const doc = await api.services.databases.owned(user.id, db.id);
    await api.services.databases.withClient(doc, (client) => client.db(doc.dbName).collection('first').insertOne({ at: new Date() }));
    provisioning.push(performance.now() - begin);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bytes = await runtime.tenantDatabases?.rssBytes(user.id);
    if (bytes) rss.push(bytes / 2 ** 20);
  }
  printTable('a tenant\'s database: first use → first successful write (starts the tenant\'s server)', [['provision + first write', summarize(provisioning)]]);
  const rssSummary = summarize(rss);
  console.log(`idle RSS of one tenant's server: median ${rssSummary.median.toFixed(1)} MiB, max ${Math.max(...rss).toFixed(1)} MiB over ${rss.length} servers`);

  // The last tenant's database is browsed (a new sign-up would pass the platform's 20 per address and hour).
  const owner = last ?? await signUp(api);
  const [db] = (await owner.client.get('/api/databases')).body.databases;
  const doc = await api.services.databases.owned(owner.id, db.id);
  const seedBegin = performance.now();
  await api.services.databases.withClient(doc, async (client) => {
    const collection = client.db(doc.dbName).collection('events');
    for (let i = 0; i < docs; i += 1000) await collection.insertMany(Array.from({ length: Math.min(1000, docs - i) }, (_, k) => ({ n: i + k, kind: (i + k) % 7, at: new Date(1_700_000_000_000 + (i + k) * 1000) })));
  });
  console.log(`seeded ${docs} documents in ${((performance.now() - seedBegin) / 1000).toFixed(1)} s`);
  const filter = JSON.stringify({ n: { $gte: Math.floor(docs / 4), $lt: Math.floor(docs * 3 / 4) } });
  const first: number[] = [];
  const next: number[] = [];
  const rerun: number[] = [];
  const stopped: string[] = [];
  for (let round = 0; round < 5; round++) {
    let begin = performance.now();
    let page = (await owner.client.post(`/api/databases/${db.id}/collections/events/query`, { filter, pageSize: 50 })).body;
    if (!page.cursor) {
      // The explorer's own time limit stopped the query: counted and shown, not averaged in.
      stopped.push(`${(performance.now() - begin).toFixed(0)} ms: ${JSON.stringify(page.error ?? page).slice(0, 160)}`);
      continue;
    }
    first.push(performance.now() - begin);
    for (let p = 0; p < 20 && page.cursor; p++) {
      begin = performance.now();
      const res = await owner.client.get(`/api/databases/${db.id}/cursors/${page.cursor}`);
      next.push(performance.now() - begin);
      page = res.body;
    }
    // The alternative one cursor avoids: the query again, skipping the pages already read.
    for (const skip of [50, 500]) {
      begin = performance.now();
      await api.services.databases.withClient(doc, (client) => client.db(doc.dbName).collection('events').find(JSON.parse(filter)).skip(skip).limit(50).toArray());
      rerun.push(performance.now() - begin);
    }
  }
  for (const line of stopped) console.log(`first page stopped at the explorer's time limit after ${line}`);
  if (first.length === 0) throw new Error('every first page was stopped at the time limit: no page figures');
  printTable(`explorer pages over ${docs} documents with a range filter, 50 per page (target p99 ≤ 500 ms)`, [
    ['first page (the query)', summarize(first)],
    ['next page (getMore, same cursor)', summarize(next)],
    ['re-running the query with skip', summarize(rerun)],
  ], 'next page (getMore, same cursor)');
} finally {
  await context.close();
  await bed.stop();
}
