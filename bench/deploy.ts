/**
 * bench/deploy: deploy speed on each runtime, RUNS (default 20) runs per figure.
 *   - local: deploy call → first 200 through the proxy, beside the runner's bare cold start;
 *   - kubernetes, on the real node (needs root): deploy call → first 200 through Traefik for a new
 *     app and a rolling update, beside the runner's cold start, the local figure, the apply floor and
 *     the Kubernetes pod-startup SLO.
 *
 *   npm run bench:deploy              (ONLY=local or ONLY=kubernetes for one section)
 */
import { cpus } from 'node:os';
import { loadTemplates } from '../templates/index.js';
import { startBed } from '../test/bed/index.js';
import { startNode, type NodeBed } from '../test/bed/node/index.js';
import { readBedPaths } from '../test/bed/paths.js';
import { benchContext } from './deploy/context.js';
import { benchKubernetes } from './deploy/kubernetes.js';
import { benchLocal } from './deploy/local.js';

const runs = Number(process.env.RUNS ?? 20);
const only = process.env.ONLY;
const bed = await startBed(['python', 'mongo']);
Object.assign(process.env, bed.env);
const context = benchContext();
let node: NodeBed | undefined;
try {
  const hello = (await loadTemplates()).find((tpl) => tpl.metadata.name === 'hello-fastapi');
  if (!hello) throw new Error('no hello-fastapi template');
  console.log(`bench/deploy: ${runs} runs per figure, ${cpus().length} cores, hello-fastapi`);
  const localFirst = only !== 'kubernetes' ? await benchLocal(context, hello, runs) : undefined;
  if (only !== 'local') {
    node = await startNode(readBedPaths(), bed.env.FP_BED_DIR ?? '');
    Object.assign(process.env, node.env);
    await benchKubernetes(context, hello, runs, localFirst ? { localFirst } : {});
  }
} finally {
  await context.close();
  await node?.stop();
  await bed.stop();
}
