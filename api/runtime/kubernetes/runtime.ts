/**
 * The Kubernetes runtime (RUNTIME=kubernetes): each version is synthesized from the UserApp
 * construct in memory and server-side-applied into the apps namespace (api/k8s: one field manager,
 * waves, prune); progress, status and events come from one shared watch per kind; logs from
 * `pods/log`; `manifests` are exactly what is applied.
 */
import { createHash } from 'node:crypto';
import { annotationKeys } from '../../../constructs/index.js';
import { ConflictError, InputError } from '../../errors.js';
import { AppliedObjects, AppWatch, appliedKeys, applyUserApp, eventTime, removeUserApp, scaleDeployment, type AppliedKey, type KubeClient } from '../../k8s/index.js';
import { appHostName, userAppWorkloadName } from '../../../constructs/index.js';
import { synthesize, type AppTarget } from '../synth.js';
import { testCall } from '../test-call.js';
import type { DesiredApp, Runtime, RuntimeApp, RuntimeStatus, RuntimeVersion, TestRequest, TestResponse } from '../types.js';
import { assess } from './assess.js';
import { appLogs } from './logs.js';
import { Rollouts } from './rollouts.js';
import { sleepApp, wakeApp, type ReadinessView } from './sleep.js';

export interface KubernetesRuntimeOptions {
  readonly client: KubeClient;
  readonly target: AppTarget;
  /**
   * Where the test panel sends an app's requests, with the app's Host header: the ingress controller,
   * which works the same whether the API runs in the cluster or outside it (KUBECONFIG).
   * @default - the app's own public URL
   */
  readonly ingressUrl?: string | undefined;
  readonly log: (message: string) => void;
}

export interface KubernetesRuntime extends Runtime {
  readonly kind: 'kubernetes';
  /** Calls `listener` with each watch notification → progress event delay, in ms (bench/deploy). */
  observeReactions(listener: (ms: number) => void): () => void;
  /** Objects applied (server-side apply requests) since it started: a reconcile pass with nothing changed adds none. */
  appliedCount(): number;
}

/** The apiserver's own address as a range to block, when the connection names it by IPv4 address. */
export function apiserverCidr(server: string): string | null {
  const host = new URL(server).hostname;
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) && !host.startsWith('127.') ? `${host}/32` : null;
}

export async function createKubernetesRuntime(options: KubernetesRuntimeOptions): Promise<KubernetesRuntime> {
  const { client } = options;
  // Apps never reach the cluster's own endpoints: the private ranges cover the usual ones, and the
  // apiserver's address (a public one, for managed control planes) is added to them.
  const ownCidr = apiserverCidr(client.server);
  const blockedCidrs = [...(options.target.network?.blockedCidrs ?? []), ...(ownCidr ? [ownCidr] : [])];
  const target: AppTarget = { ...options.target, network: { ...options.target.network, blockedCidrs } };
  const namespace = target.namespace;
  const watch = new AppWatch(client, namespace, options.log);
  const applied = new AppliedObjects(client, namespace, options.log);
  await Promise.all([watch.start(), applied.start()]);
  const rollouts = new Rollouts(watch);
  const scheme = target.tls ? 'https' : 'http';
  const url = (appId: string) => `${scheme}://${appHostName(appId, target.appDomain)}`;
  const ingressUrl = (appId: string) => (options.ingressUrl ?? url(appId)).replace(/\/+$/, '');
  const synth = (app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>) =>
    synthesize(app, version, env, target);

  /** The replicas the app's Deployment wants, as the watch last saw them (null: no Deployment). */
  const replicasOf = (appId: string): number | null => {
    const deployment = watch.workload(appId).deployment;
    return deployment ? deployment.spec?.replicas ?? 1 : null;
  };
  const readiness: ReadinessView = {
    ready: (appId) => {
      const deployment = watch.workload(appId).deployment;
      return (deployment?.spec?.replicas ?? 1) > 0 && (deployment?.status?.readyReplicas ?? 0) > 0;
    },
    failing: (appId) => {
      const progressing = watch.workload(appId).deployment?.status?.conditions?.find((c) => c.type === 'Progressing');
      return progressing?.status === 'False' ? progressing.message ?? 'the rollout stopped progressing' : null;
    },
    changed: (appId, ms) => new Promise((resolve) => {
      const timer = setTimeout(() => { off(); resolve(); }, ms);
      const off = watch.onChange((changed) => {
        if (changed !== appId) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    }),
  };

  /**
   * Per app, the objects its desired state synthesizes to, remembered by a hash of that state (app,
   * version, env): a reconcile pass with nothing changed hashes its inputs and synthesizes nothing.
   */
  const expected = new Map<string, { inputs: string; objects: AppliedKey[] }>();
  const expectedOf = (desired: DesiredApp): AppliedKey[] | null => {
    const inputs = createHash('sha256').update(JSON.stringify([desired.app, desired.version, desired.env])).digest('hex');
    const known = expected.get(desired.app.id);
    if (known?.inputs === inputs) return known.objects;
    try {
      const objects = appliedKeys(synth(desired.app, desired.version, desired.env).objects);
      expected.set(desired.app.id, { inputs, objects });
      return objects;
    } catch {
      return null; // apply() reports why
    }
  };

  /** Applies the version's objects; `track` follows it as a rollout whose progress is reported. */
  const apply = async (app: RuntimeApp, version: RuntimeVersion, env: Readonly<Record<string, string>>, track = true): Promise<void> => {
    if (track) rollouts.begin(app.id, version.number);
    let synthesized;
    try {
      synthesized = synth(app, version, env);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (track) rollouts.fail(app.id, 'apply-failed', message);
      throw new InputError(`The app's objects could not be built: ${message}`, { cause: error });
    }
    if (track) rollouts.applying(app.id);
    try {
      const result = await applyUserApp(client, namespace, app.id, synthesized.objects);
      for (const takeover of result.takeovers) options.log(`took over ${takeover.conflicts.join(', ')} of ${takeover.object.kind} ${takeover.object.name} from another field manager`);
      const deployment = result.applied.find((o) => o.kind === 'Deployment');
      // A deploy wakes a sleeping app (apply never sets the replica count; see api/k8s/scale.ts).
      if (track && replicasOf(app.id) === 0) await scaleDeployment(client, namespace, userAppWorkloadName(app.id), 1);
      if (track) rollouts.applied(app.id, { codeHash: synthesized.codeHash, envHash: synthesized.envHash, generation: deployment?.generation ?? 1 });
    } catch (error) {
      if (track) rollouts.fail(app.id, 'apply-failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
  };

  /** Assessed like a rollout, against whatever the Deployment holds now (the same rules, from the same watch). */
  const status = async (appId: string): Promise<RuntimeStatus> => {
    const workload = watch.workload(appId);
    const serving = workload.replicaSets
      .filter((rs) => (rs.status?.readyReplicas ?? 0) > 0)
      .map((rs) => Number(rs.metadata.annotations?.[annotationKeys.version]))
      .filter((n) => Number.isInteger(n) && n > 0)
      .sort((a, b) => b - a)[0] ?? null;
    const base = { servingVersion: serving, url: url(appId) };
    const deployment = workload.deployment;
    if (!deployment) {
      const rollout = rollouts.state(appId);
      return { ...base, phase: rollout && !rollout.outcome ? 'deploying' : 'absent', targetVersion: rollout?.version ?? null, message: null };
    }
    const template = deployment.spec?.template?.metadata?.annotations ?? {};
    const now = assess(workload, { codeHash: template[annotationKeys.codeHash] ?? '', envHash: template[annotationKeys.envHash] ?? '', generation: deployment.metadata.generation ?? 1 });
    const targetVersion = Number(deployment.metadata.annotations?.[annotationKeys.version]) || null;
    if (deployment.spec?.replicas === 0) return { ...base, phase: 'sleeping', targetVersion, message: 'asleep: the next request wakes it' };
    const phase = now.phase === 'ready' ? 'ready' : now.phase === 'failed' ? 'failed' : 'deploying';
    return { ...base, phase, targetVersion, message: phase === 'ready' ? null : now.message };
  };

  const request = async (appId: string, test: TestRequest): Promise<TestResponse> => {
    const started = performance.now();
    try {
      // Through the ingress, as the app's users reach it: the same route, Host and NetworkPolicy.
      const answer = await testCall(`${ingressUrl(appId)}${test.path}`, { method: test.method, body: test.body, headers: { ...test.headers, host: new URL(url(appId)).host } });
      return { ...answer, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      throw new ConflictError(`The app did not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };

  return {
    kind: 'kubernetes',
    observeReactions: (listener) => rollouts.observeReactions(listener),
    appliedCount: () => client.objects.applies,
    deploy: apply,
    sleep: (appId) => sleepApp(client, namespace, appId),
    async wake(appId, desired) {
      // The tenant's database server wakes beside an app that is handed its URI.
      const app = await desired();
      await wakeApp(client, namespace, appId, readiness, app && 'PLATFORM_MONGO_URI' in app.env ? app.app.ownerId : null);
    },
    async ensure(desired: DesiredApp) {
      // Objects all in place and unchanged are left alone (no request at all); otherwise everything is
      // applied again, which changes nothing that is as it should be, and brings back anything missing
      // or changed by hand (the watches see it: api/k8s/applied-objects.ts). A failed rollout stays applied as it was.
      // Only a rollout that was in flight is followed again, and only when nothing follows it yet: starting
      // over would end the progress streams open on it.
      const followed = rollouts.state(desired.app.id)?.version === desired.version.number;
      const track = desired.phase === 'deploying' && !followed;
      // Everything in place, unchanged (the applied-objects cache, from the watches): no write at all.
      const objects = track ? null : expectedOf(desired);
      if (!objects || !applied.upToDate(desired.app.id, objects)) await apply(desired.app, desired.version, desired.env, track);
      // A sleeping app stays asleep; an awake one that was left at zero (a wake cut short) comes back.
      const replicas = replicasOf(desired.app.id);
      if (desired.sleeping && replicas !== 0) await sleepApp(client, namespace, desired.app.id);
      else if (!desired.sleeping && replicas === 0) await scaleDeployment(client, namespace, userAppWorkloadName(desired.app.id), 1);
    },
    unchanged(appId) {
      const known = expected.get(appId);
      return known !== undefined && applied.upToDate(appId, known.objects);
    },
    appIds: async () => applied.appIds(),
    async remove(appId) {
      rollouts.forget(appId);
      expected.delete(appId);
      await removeUserApp(client, namespace, appId);
    },
    status,
    progress: (appId, signal, version) => rollouts.progress(appId, signal, version),
    async events(appId, limit) {
      return watch.workload(appId).events.slice(-limit).reverse().map((e) => ({
        at: eventTime(e), type: e.type === 'Warning' ? 'Warning' as const : 'Normal' as const, reason: e.reason ?? '', message: e.message ?? '',
        object: e.involvedObject.kind && e.involvedObject.name ? `${e.involvedObject.kind}/${e.involvedObject.name}` : null,
      }));
    },
    logs: (appId, query) => appLogs({ client, watch, namespace, container: 'runner' }, appId, query),
    manifests: (app, version, env) => synth(app, version, env).objects,
    request,
    url,
    async close() {
      rollouts.close();
      watch.stop();
      applied.stop();
    },
  };
}
