/**
 * NetworkPolicy enforced on the real node (kube-router), each case a real connection attempt from
 * inside an app pod: the app cannot reach another tenant's pod or Service, the platform's namespace,
 * the apiserver (by ClusterIP or by its advertised address) or the kubelet; it can reach cluster DNS
 * and its tenant's own database server (test/real-node/databases.test.ts shows it reaches no other), and the ingress reaches it. The same code in the same image without the app's
 * policy (a control pod, in the platform's namespace that apps admit) reaches every one of those
 * targets, so each refusal is the app's policy's doing.
 * App pods have no service-account token.
 */
import test from 'ava';
import { request } from 'node:http';
import { labelKeys, platformGateway, synthUserApp, tenantDatabaseHost, userAppKinds } from '../../constructs/index.js';
import { newApp, signUp, waitForPhase } from '../helpers/api.js';
import { KubeRest, eventually, type KubeObject } from '../helpers/kube-rest.js';
import { adminApply } from '../helpers/kubectl.js';
import { nodeBed, startNodeApi, untilServes, viaIngress } from '../helpers/node.js';
import { sampleApp } from '../helpers/sample-app.js';

const probe = {
  'app.py': `import asyncio
import os

from fastapi import FastAPI
from pymongo import MongoClient

app = FastAPI()


@app.get("/")
def index():
    return {"probe": True}


@app.get("/connect")
async def connect(host: str, port: int):
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 3)
        writer.close()
        return {"connected": True}
    except (OSError, asyncio.TimeoutError) as error:
        return {"connected": False, "error": type(error).__name__}


@app.get("/resolve")
async def resolve(name: str):
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(name, None)
        return {"addresses": sorted({info[4][0] for info in infos})}
    except OSError as error:
        return {"addresses": [], "error": str(error)}


@app.get("/db")
def db():
    client = MongoClient(os.environ["PLATFORM_MONGO_URI"], serverSelectionTimeoutMS=5000)
    client.get_database().probe.insert_one({"seen": True})
    return {"count": client.get_database().probe.count_documents({})}


@app.get("/token")
def token():
    return {"mounted": os.path.exists("/var/run/secrets/kubernetes.io/serviceaccount")}
`,
};

function getJson(url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    request(url, { timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    }).on('error', reject).end();
  });
}

const podIp = (pod: KubeObject) => (pod.status as { podIP?: string }).podIP ?? '';
const isReady = (pod: KubeObject) => ((pod.status as { conditions?: { type: string; status: string }[] }).conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function readyPod(admin: KubeRest, ns: string, selector: string): Promise<KubeObject> {
  return eventually(`a Ready pod in ${ns} (${selector})`, async () => (await admin.list(`/api/v1/namespaces/${ns}/pods`, selector)).find((p) => !p.metadata.deletionTimestamp && isReady(p)), 90_000);
}

test('an app pod reaches only DNS, its database and the ingress; the same pod without the policy reaches everything it is denied', async (t) => {
  const node = nodeBed();
  const admin = KubeRest.admin();
  const api = await startNodeApi(t);
  const ns = api.namespaces?.appsNamespace ?? '';
  const platformNs = api.namespaces?.platformNamespace ?? '';

  // The app under test, another tenant's app, and a server in the platform's namespace.
  const user = await signUp(api);
  const other = await signUp(api);
  const app = await newApp(user, { name: 'Probe', files: probe });
  const neighbour = await newApp(other, { name: 'Neighbour', files: { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n' } });
  await Promise.all([user.client.post(`/api/apps/${app.id}/deploy`, {}), other.client.post(`/api/apps/${neighbour.id}/deploy`, {})]);
  const platformLabels = { 'app.kubernetes.io/name': 'platform-probe-target' };
  await adminApply([{
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'target', namespace: platformNs },
    spec: {
      selector: { matchLabels: platformLabels },
      template: {
        metadata: { labels: platformLabels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'http', image: node.runnerImage, imagePullPolicy: 'IfNotPresent', command: ['python', '-m', 'http.server', '8080', '--directory', '/tmp'],
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  }]);
  // The control: the probe app's own objects (same image, code, restricted pod) without its NetworkPolicy,
  // in the platform's namespace and labelled as the gateway's pods, which the apps' own policies let in
  // (as they must: every request reaches an app through the gateway).
  const controlNs = platformNs;
  const control = synthUserApp(sampleApp({ namespace: controlNs, appId: 'control', image: node.runnerImage, files: probe, databaseUri: `${node.appsMongoUri}control`, env: {} }));
  const gatewayLabels = platformGateway(platformNs).podLabels;
  const asGateway = (o: { kind: string; spec?: unknown }) => {
    if (o.kind !== 'Deployment') return o;
    const spec = structuredClone(o.spec) as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
    Object.assign(spec.template.metadata.labels, gatewayLabels);
    // The gateway's name label replaces the app's, so the Deployment selects its pods by the app id alone.
    spec.selector.matchLabels = { [labelKeys.appId]: 'control' };
    return { ...o, spec };
  };
  await adminApply(control.objects.filter((o) => o.kind !== 'NetworkPolicy').map(asGateway));
  t.true(userAppKinds.some((k) => k.kind === 'NetworkPolicy'), 'user apps do get a NetworkPolicy');

  await Promise.all([waitForPhase(user, app.id, 'running', 90_000), waitForPhase(other, neighbour.id, 'running', 90_000)]);
  await untilServes(app.id, /"probe":true/);
  const neighbourPod = await readyPod(admin, ns, `${labelKeys.appId}=${neighbour.id}`);
  const neighbourService = await admin.get(`/api/v1/namespaces/${ns}/services/app-${neighbour.id}`);
  const platformPod = await readyPod(admin, platformNs, 'app.kubernetes.io/name=platform-probe-target');
  const controlPod = await readyPod(admin, controlNs, `${labelKeys.appId}=control`);

  const denied: [string, string, number][] = [
    ['another tenant\'s pod', podIp(neighbourPod), 8000],
    ['another tenant\'s Service', (neighbourService.spec as { clusterIP: string }).clusterIP, 80],
    ['a pod in the platform\'s namespace', podIp(platformPod), 8080],
    ['the apiserver by its ClusterIP', node.serviceIp, 443],
    ['the apiserver by its advertised address', node.address, 6443],
    ['the kubelet', node.address, 10250],
  ];
  const fromApp = (path: string) => viaIngress(app.id, path, { timeoutMs: 15_000 }).then((r) => JSON.parse(r.body));
  const fromControl = (path: string) => getJson(`http://${podIp(controlPod)}:8000${path}`);
  for (const [what, host, port] of denied) {
    const path = `/connect?host=${host}&port=${port}`;
    // The control may wait for kube-router to count its new pod among the gateway's (the neighbour's
    // policy admits those): it only shows that the target answers at all.
    const reached = await eventually(`the control to reach ${what}`, async () => {
      const answer = await fromControl(path);
      return answer.connected === true ? answer : undefined;
    }, 20_000).catch(async () => fromControl(path));
    t.like(reached, { connected: true }, `without the policy, a pod reaches ${what} (${host}:${port})`);
    // kube-router applies a policy about 1.5 s after it sees it: wait for the refusal, never for an opening.
    const refused = await eventually(`the policy to refuse ${what}`, async () => {
      const answer = await fromApp(path);
      return answer.connected === false ? answer : undefined;
    }, 20_000).catch(() => null);
    t.truthy(refused, `the app pod must not reach ${what} (${host}:${port})`);
  }

  // Allowed: cluster DNS, the tenant's own database server (through its Service's DNS name), and the
  // ingress (every request above came through it).
  const resolved = await fromApp(`/resolve?name=${tenantDatabaseHost(user.id, ns)}`);
  t.is(resolved.addresses.length, 1, `DNS answered: ${JSON.stringify(resolved)}`);
  t.like(await fromApp('/db'), { count: 1 });
  t.like(await fromApp('/db'), { count: 2 });
  t.like(await fromApp('/token'), { mounted: false }, 'no service-account token in an app pod');
  const pod = await readyPod(admin, ns, `${labelKeys.appId}=${app.id}`);
  t.false((pod.spec as { automountServiceAccountToken?: boolean }).automountServiceAccountToken);
  t.false(JSON.stringify(pod.spec).includes('kube-api-access'), 'no projected token volume');
});
