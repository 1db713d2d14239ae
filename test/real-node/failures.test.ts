/**
 * Each way a rollout fails, produced by real kubelet, scheduler and controller state on the real node
 * and reported through the API as its precise failure: an app that cannot import (the runner's line as
 * the container's real termination message, then a real CrashLoopBackOff), OOMKilled from a real memory
 * limit, an image that is not there, requests larger than the node, a health probe that never passes
 * (the kubelet kills the container), and a rollout past its progress deadline. Failure windows are
 * props, so these take seconds.
 */
import test, { type ExecutionContext } from 'ava';
import { labelKeys } from '../../constructs/index.js';
import { newApp, signUp, waitForPhase, type TestApi, type TestUser } from '../helpers/api.js';
import { KubeRest, eventually } from '../helpers/kube-rest.js';
import { startNodeApi } from '../helpers/node.js';
import type { KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';
import type { KubeRuntimeOptions } from '../helpers/api.js';

const fastapi = (body: string) => ({ 'app.py': `from fastapi import FastAPI\n${body}\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"ok": True}\n` });

async function deployed(t: ExecutionContext, files: Record<string, string>, kube: KubeRuntimeOptions = {}): Promise<{ api: TestApi<KubernetesRuntime>; user: TestUser; app: { id: string }; failed: any; progress: string }> {
  const api = await startNodeApi(t, kube);
  const user = await signUp(api);
  const app = await newApp(user, { name: 'Failing', files });
  t.is((await user.client.post(`/api/apps/${app.id}/deploy`, {})).status, 202);
  const failed = await waitForPhase(user, app.id, 'failed', 120_000);
  const progress = await (await fetch(`${api.url}/api/apps/${app.id}/progress`, { headers: user.client.authorization() })).text();
  return { api, user, app, failed, progress };
}

const reasonOf = (progress: string) => /"reason":"([a-z-]+)"/.exec(progress)?.[1];

test('an app that cannot import fails with the runner\'s line from the real termination message, then crash-loops', async (t) => {
  const { api, user, app, failed, progress } = await deployed(t, { 'app.py': 'import os\nfrom fastapi import FastAPI\n\nTOKEN = os.environ["TOKEN"]\napp = FastAPI()\n' });
  t.like(failed.status, { phase: 'failed', message: "KeyError: 'TOKEN'", file: 'app.py', line: 4 });
  t.is(reasonOf(progress), 'start-failed', 'the first exit: the runner\'s own start failure');
  const ns = api.namespaces?.appsNamespace ?? '';
  const admin = KubeRest.admin();
  const pod = await eventually('CrashLoopBackOff', async () => {
    const [found] = await admin.list(`/api/v1/namespaces/${ns}/pods`, `${labelKeys.appId}=${app.id}`);
    const status = (found?.status as any)?.containerStatuses?.[0];
    return status?.state?.waiting?.reason === 'CrashLoopBackOff' ? status : undefined;
  }, 60_000);
  t.true(pod.restartCount >= 1);
  t.is(JSON.parse(pod.lastState.terminated.message).fp, 'start-failed', 'the kubelet kept the runner\'s line as the termination message');
  t.is(pod.lastState.terminated.exitCode, 3);
  const status = (await user.client.get(`/api/apps/${app.id}/status`)).body;
  t.like(status, { phase: 'failed', message: "KeyError: 'TOKEN'", servingVersion: null });
  // The kubelet records its BackOff event asynchronously, after the pod's status already says CrashLoopBackOff,
  // and the API sees it through its event watch: wait for it rather than read once.
  const backOff = await eventually('the kubelet\'s BackOff event among the app\'s events', async () => {
    const events = (await user.client.get(`/api/apps/${app.id}/events?limit=50`)).body.events as { reason: string; message: string }[];
    return events.find((e) => e.reason === 'BackOff');
  }, 60_000);
  t.regex(backOff.message, /[Bb]ack-off/, 'the kubelet\'s back-off is among the app\'s events');
});

test('an app that outgrows its memory limit fails as oom-killed, naming the limit', async (t) => {
  const { failed, progress } = await deployed(t, fastapi('BALLAST = b"x" * (400 * 1024 * 1024)'));
  t.is(reasonOf(progress), 'oom-killed');
  t.regex(failed.status.message, /more memory than its limit of 256Mi \(OOMKilled\)/);
});

test('an image that is not there fails as image-pull, with what the kubelet said', async (t) => {
  // A registry on a closed local port: the pull fails at once and never leaves the machine.
  const { failed, progress } = await deployed(t, fastapi(''), { image: '127.0.0.1:1/fastapi-platform/missing:0.0.0' });
  t.is(reasonOf(progress), 'image-pull');
  t.regex(failed.status.message, /could not be pulled \((ErrImagePull|ImagePullBackOff)\)/);
  t.regex(failed.status.message, /127\.0\.0\.1:1/);
});

test('requests larger than the node fail as unschedulable, with the scheduler\'s message', async (t) => {
  const { failed, progress } = await deployed(t, fastapi(''), { resources: { memoryMebibytes: { request: 512 * 1024, limit: 512 * 1024 } } });
  t.is(reasonOf(progress), 'unschedulable');
  t.regex(failed.status.message, /no node can run the app: 0\/1 nodes are available: 1 Insufficient memory/);
});

const hangs = 'import asyncio\nfrom contextlib import asynccontextmanager\nfrom fastapi import FastAPI\n\n\n@asynccontextmanager\nasync def lifespan(app):\n    await asyncio.sleep(3600)\n    yield\n\n\napp = FastAPI(lifespan=lifespan)\n';

test('an app that never answers its health probe fails as probe-failed once the kubelet kills it', async (t) => {
  const { failed, progress } = await deployed(t, { 'app.py': hangs }, { failureWindows: { startupSeconds: 3 } });
  t.is(reasonOf(progress), 'probe-failed');
  t.regex(failed.status.message, /never answered its health probe: Startup probe failed: Get "http:\/\/10\.244\.0\.\d+:8000\/_platform\/health"/);
});

test('a rollout that makes no progress within its deadline fails as deadline, with the controller\'s message', async (t) => {
  const { failed, progress } = await deployed(t, { 'app.py': hangs }, { failureWindows: { startupSeconds: 600, progressDeadlineSeconds: 6 } });
  t.is(reasonOf(progress), 'deadline');
  t.regex(failed.status.message, /has timed out progressing/);
});
