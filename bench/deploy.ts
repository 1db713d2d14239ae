/**
 * bench/deploy: deploy speed on each runtime, RUNS (default 20) runs per figure.
 *   - local: deploy call → first 200 through the proxy, beside the runner's bare cold start;
 *   - kubernetes: deploy call → all objects applied, beside applying the same objects alone (the
 *     bench/apply path), and the latency from a watch event to the progress update it causes.
 *
 *   npm run bench:deploy              (ONLY=local or ONLY=kubernetes for one section)
 */
import { cpus } from 'node:os';
import { loadTemplates } from '../templates/index.js';
import { startBed } from '../test/bed/index.js';
import { benchContext } from './deploy/context.js';
import { benchKubernetes } from './deploy/kubernetes.js';
import { benchLocal } from './deploy/local.js';

const runs = Number(process.env.RUNS ?? 20);
const only = process.env.ONLY;
const bed = await startBed(only === 'local' ? ['python', 'mongo'] : ['python', 'mongo', 'kube']);
Object.assign(process.env, bed.env);
const context = benchContext();
try {
  const hello = (await loadTemplates()).find((tpl) => tpl.metadata.name === 'hello-fastapi');
  if (!hello) throw new Error('no hello-fastapi template');
  console.log(`bench/deploy: ${runs} runs per figure, ${cpus().length} cores, hello-fastapi`);
  if (only !== 'kubernetes') await benchLocal(context, hello, runs);
  if (only !== 'local') await benchKubernetes(context, hello, runs);
} finally {
  await context.close();
  await bed.stop();
}
