/**
 * The API on an ephemeral port against the bed's MongoDB server (a fresh database per call), with the
 * bed's CPython 3.11 validator, behind the runtime double or the real local runtime (runner processes
 * from the bed's venv, apps' databases on the bed's server), and HTTP clients that sign in with tokens
 * (CLI style) or cookies (browser style: __Host- cookies, Origin and X-CSRF-Token on unsafe requests).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type PlatformApp } from '../../api/app.js';
import { loadConfig, type Config } from '../../api/config.js';
import { connectDatabase, type Database } from '../../api/db/database.js';
import { connectKube, type KubeClient } from '../../api/k8s/index.js';
import { createKubernetesRuntime, type KubernetesRuntime } from '../../api/runtime/kubernetes/runtime.js';
import type { AppTarget } from '../../api/runtime/synth.js';
import { createLocalRuntime, type LocalRuntime } from '../../api/runtime/local/runtime.js';
import { createPlatformServer } from '../../api/server.js';
import { createServices, type Services } from '../../api/services/index.js';
import { prepare } from '../../api/services/maintenance.js';
import { loadTemplates } from '../../templates/index.js';
import { kubernetesFerretDbProvider, localFerretDbProvider } from '../../api/databases/index.js';
import { deriveKeys } from '../../api/services/secrets.js';
import { tenantHasAwakeApp } from '../../api/services/wakes.js';
import { TenantServers } from '../../api/runtime/local/tenant-servers.js';
import { platformGateway, platformLabels, tenantDatabasePort, type TenantDatabaseStorage } from '../../constructs/index.js';
import { startBedGateway } from './bed-gateway.js';
import { createGateway, type RunningGateway } from '../../api/gateway/index.js';
import { defaultSandboxSettings } from '../../api/runtime/local/runtime.js';
import { readBedPaths } from '../bed/paths.js';
import { kubeBed, mongoUri, uniqueName, venvPython } from './bed.js';
import { platformNamespaces, type PlatformNamespaces } from './platform-identity.js';
import { fakeRuntime, type FakeRuntime } from './fake-runtime.js';
import { recording, type RuntimeCalls } from './recording-runtime.js';
import { createNodeValidator } from '../../validation/node.js';

export const platformOrigin = 'https://platform.test';
export const appDomain = 'apps.test';

export type RuntimeKind = 'double' | 'local' | 'kubernetes';

/** What startApi needs of a test (or a benchmark): somewhere to log, and clean-up after. */
export interface ApiContext {
  log(message: string): void;
  teardown(fn: () => Promise<void> | void): void;
}

export interface TestApi<R = FakeRuntime | LocalRuntime | KubernetesRuntime> {
  readonly url: string;
  readonly config: Config;
  readonly services: Services;
  readonly db: Database;
  readonly app: PlatformApp;
  /** The runtime behind the API (without the recording layer). */
  readonly runtime: R;
  /** What the API handed the runtime. */
  readonly calls: RuntimeCalls;
  readonly port: number;
  /** The Kubernetes runtime's namespaces (null for the others). */
  readonly namespaces: PlatformNamespaces | null;
  /** The tenants' database servers behind the `ferretdb` provider. */
  readonly tenantDatabases: TenantServers;
  /** The gateway in front of the apps (local runtime; Kubernetes with `kube.gatewayAddress`). */
  readonly gateway: RunningGateway | null;
}

/** The Kubernetes runtime's settings a test may choose (the real node's tests point them at the node). */
export interface KubeRuntimeOptions {
  /** Where the test panel reaches apps (the ingress controller). */
  readonly ingressUrl?: string;
  readonly image?: string;
  /** The Node runner's image, for TypeScript apps. */
  readonly nodeImage?: string;
  readonly failureWindows?: AppTarget['failureWindows'];
  readonly resources?: AppTarget['resources'];
  readonly drain?: AppTarget['drain'];
  /**
   * Tenants' databases as TenantDatabase servers in the apps namespace (the `ferretdb` provider on
   * Kubernetes, as api/main.ts makes it), needing a real node; otherwise FerretDB processes on the host.
   */
  readonly tenantDatabases?: { readonly image: string; readonly startMs?: number; readonly storage?: TenantDatabaseStorage };
  /**
   * Runs the gateway beside the API (test/helpers/bed-gateway.ts), listening here (the real node's
   * address), and apps' routes point at it, as the chart wires them.
   */
  readonly gatewayAddress?: string;
  /** How long the gateway holds a request for a waking app. */
  readonly gatewayHoldMs?: number;
}

export interface ApiOptions<K extends RuntimeKind> {
  readonly runtime?: K;
  /** Kubernetes runtime: where the test panel reaches apps (the ingress controller). */
  readonly ingressUrl?: string;
  readonly kube?: KubeRuntimeOptions;
  readonly env?: Record<string, string>;
  /** The gateway's timings (local runtime), e.g. a short hold for a waking app. */
  readonly gateway?: { readonly holdMs?: number; readonly waitMs?: number };
  /** Another API's database (and so another replica of it); that API's test drops it. @default - a fresh database */
  readonly database?: string;
}

type RuntimeOf<K extends RuntimeKind> = K extends 'local' ? LocalRuntime : K extends 'kubernetes' ? KubernetesRuntime : FakeRuntime;

/** The Kubernetes runtime on the bed: its own namespaces, the platform's RBAC-bound identity. */
async function kubernetesRuntime(t: ApiContext, options: KubeRuntimeOptions): Promise<{ runtime: KubernetesRuntime; namespaces: PlatformNamespaces; client: KubeClient }> {
  const namespaces = await platformNamespaces(t, 'api');
  const bed = kubeBed();
  const client = connectKube({ kind: 'token', server: bed.server, token: namespaces.token, caFile: bed.caFile });
  const runtime = await createKubernetesRuntime({
    client, log: (m) => t.log(m), ingressUrl: options.ingressUrl,
    target: {
      namespace: namespaces.appsNamespace, image: options.image ?? 'fastapi-platform/runner:0.1.0',
      nodeImage: options.nodeImage ?? 'fastapi-platform/runner-node:0.1.0', appDomain,
      network: {
        platformNamespace: namespaces.platformNamespace,
        ...(options.tenantDatabases ? { database: 'none' as const, tenantDatabase: { port: tenantDatabasePort } } : {}),
      },
      failureWindows: options.failureWindows, resources: options.resources, drain: options.drain,
      ...(options.gatewayAddress ? { gateway: platformGateway(namespaces.platformNamespace) } : {}),
    },
  });
  return { runtime, namespaces, client };
}

export async function startApi<K extends RuntimeKind = 'double'>(t: ApiContext, options: ApiOptions<K> = {}): Promise<TestApi<RuntimeOf<K>>> {
  const dbName = options.database ?? uniqueName('api').replace(/-/g, '_');
  const config = loadConfig({
    NODE_ENV: 'test', MONGO_URI: mongoUri(), MONGO_DB: dbName, SECRET_KEY: randomBytes(32).toString('hex'),
    PUBLIC_URL: platformOrigin, BASE_DOMAIN: 'platform.test', APP_DOMAIN: appDomain, RUNTIME: 'local', ...options.env,
  }, () => {});
  const db = await connectDatabase(config.mongoUri, config.mongoDb);
  const dataDir = options.runtime === 'local' ? await mkdtemp(join(tmpdir(), 'fp-local-')) : null;
  const ferretdb = readBedPaths().ferretdb;
  const kube = options.runtime === 'kubernetes' ? await kubernetesRuntime(t, { ...options.kube, ...(options.ingressUrl ? { ingressUrl: options.ingressUrl } : {}) }) : null;
  const inner = kube?.runtime ?? (dataDir
    ? await createLocalRuntime({
      python: venvPython(), dataDir, appDomain, publicUrl: 'http://platform.test',
      sandbox: config.sandbox, ferretdb, databaseIdleMs: config.databases.idleMs, log: (m) => t.log(m), startTimeoutMs: 120_000,
    })
    : fakeRuntime(appDomain));
  const { runtime, calls } = recording<FakeRuntime | LocalRuntime | KubernetesRuntime>(inner);
  const validator = await createNodeValidator({ python: venvPython() });
  // Users' databases: the local runtime's tenant servers (sandboxed); with the other runtimes, the same
  // servers unsandboxed, in a directory of the test's.
  let servers = 'tenantDatabases' in inner ? inner.tenantDatabases : null;
  let serversDir: string | null = null;
  if (!servers) {
    serversDir = await mkdtemp(join(tmpdir(), 'fp-dbs-'));
    const settings = defaultSandboxSettings(serversDir);
    servers = new TenantServers({ plan: { kind: 'unsandboxed', reason: 'tests of other runtimes', settings }, ferretdb, dataDir: serversDir, tenantIds: null, idleMs: config.databases.idleMs, log: (m) => t.log(m) });
  }
  const tenantOnNode = kube && options.kube?.tenantDatabases;
  const databases = config.databases.provider === 'none' ? null : tenantOnNode
    ? kubernetesFerretDbProvider({
      client: kube.client, namespace: kube.namespaces.appsNamespace, image: tenantOnNode.image, storage: tenantOnNode.storage ?? { kind: 'ephemeral' },
      platform: { namespace: kube.namespaces.platformNamespace, podLabels: platformLabels('api') },
      adminKey: deriveKeys(config.secretKey).tenantDatabases, startMs: tenantOnNode.startMs ?? 90_000, log: (m) => t.log(m),
      idleMs: config.databases.idleMs, appsAwake: (ownerId) => tenantHasAwakeApp(db, ownerId),
    })
    : localFerretDbProvider(servers);
  const services = createServices({ db, config, runtime, validator, databases, log: (m) => t.log(m) });
  await prepare(services, await loadTemplates());
  services.boot.ready();
  const app = createApp({ config, services, log: (m) => t.log(m) });
  // The local runtime's gateway runs in the platform's process, as api/main.ts runs it.
  const gateway = 'backend' in inner ? createGateway({
    db, backend: inner.backend, waker: services.wakes, appDomain, protocol: 'http', replica: `test-${dbName}`, log: (m) => t.log(m), ...options.gateway,
  }) : null;
  if (gateway && 'useGateway' in inner) inner.useGateway(gateway.gateway);
  const kubeGateway = kube && options.kube?.gatewayAddress ? await startBedGateway({
    db, namespaces: kube.namespaces, address: options.kube.gatewayAddress, appDomain, replica: `test-gw-${dbName}`, log: (m) => t.log(`gateway: ${m}`),
    ...(options.kube.gatewayHoldMs ? { holdMs: options.kube.gatewayHoldMs } : {}),
  }) : null;
  const platform = createPlatformServer({ app, services, config, log: (m) => t.log(m), gateway: gateway?.gateway });
  const { port } = await platform.listen(0, '127.0.0.1');
  t.teardown(async () => {
    services.deploys.close();
    services.accounts.revocations.stop();
    await services.explorer.close();
    await databases?.close();
    await platform.close();
    await gateway?.close();
    await kubeGateway?.close();
    await inner.close();
    if (!options.database) await db.db.dropDatabase();
    await db.close();
    await validator.close();
    await servers?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (serversDir) await rm(serversDir, { recursive: true, force: true });
  });
  return { url: `http://127.0.0.1:${port}`, config, services, db, app, runtime: inner as never, calls, port, namespaces: kube?.namespaces ?? null, tenantDatabases: servers, gateway: gateway ?? kubeGateway?.running ?? null };
}

export interface AppReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * A request to a deployed app through the platform's proxy: to 127.0.0.1 with the app's Host header
 * (Node does not resolve *.localhost or the tests' app domain).
 */
export function appRequest(api: { port: number }, appId: string, path = '/', init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<AppReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: api.port, path, method: init.method ?? 'GET', headers: { host: `app-${appId}.${appDomain}`, ...init.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface Reply<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export interface RequestOptions {
  readonly headers?: Record<string, string>;
  /** A raw body (sent as given); otherwise `body` is JSON. */
  readonly raw?: string;
}

/** An HTTP client bound to one identity (or none). */
export class Client {
  constructor(
    readonly api: { url: string },
    private readonly auth: { bearer?: string; cookies?: string; csrf?: string | null; origin?: string } = {},
  ) {}

  async call<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.auth.bearer) headers.authorization = `Bearer ${this.auth.bearer}`;
    if (this.auth.cookies) headers.cookie = this.auth.cookies;
    const unsafe = !['GET', 'HEAD'].includes(method);
    if (this.auth.origin && unsafe) headers.origin ??= this.auth.origin;
    if (this.auth.csrf && unsafe) headers['x-csrf-token'] ??= this.auth.csrf;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.api.url}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Non-JSON responses (docs pages) stay text.
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** The Authorization header this client sends, for raw fetches (streams). */
  authorization(): Record<string, string> {
    return this.auth.bearer ? { authorization: `Bearer ${this.auth.bearer}` } : {};
  }

  get<T = any>(path: string, options?: RequestOptions) { return this.call<T>('GET', path, undefined, options); }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) { return this.call<T>('POST', path, body, options); }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) { return this.call<T>('PUT', path, body, options); }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) { return this.call<T>('PATCH', path, body, options); }
  delete<T = any>(path: string, options?: RequestOptions) { return this.call<T>('DELETE', path, undefined, options); }
}

export interface TestUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly client: Client;
  readonly isAdmin: boolean;
}

let counter = 0;

/** Signs up a new user and signs in with tokens (the CLI's way). */
export async function signUp(api: { url: string }, name = `user${++counter}${randomBytes(2).toString('hex')}`): Promise<TestUser> {
  const anonymous = new Client(api);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const signup = await anonymous.post('/api/auth/signup', { username: name, email: `${name}@example.com`, password });
  if (signup.status !== 201) throw new Error(`signup ${name} → ${signup.status}: ${JSON.stringify(signup.body)}`);
  const login = await anonymous.post('/api/auth/login', { login: name, password, mode: 'token' });
  if (login.status !== 200) throw new Error(`login ${name} → ${login.status}: ${JSON.stringify(login.body)}`);
  return { id: signup.body.user.id, username: name, password, isAdmin: signup.body.user.isAdmin, client: new Client(api, { bearer: login.body.accessToken }) };
}

/** Signs in with cookies (the browser's way) and returns a client that sends them, with Origin and CSRF token. */
export async function browserSession(api: { url: string }, user: Pick<TestUser, 'username' | 'password'>): Promise<{ client: Client; cookies: string; csrf: string; setCookie: string[] }> {
  const login = await new Client(api, { origin: platformOrigin }).post('/api/auth/login', { login: user.username, password: user.password, mode: 'cookie' });
  if (login.status !== 200) throw new Error(`cookie login → ${login.status}: ${JSON.stringify(login.body)}`);
  const setCookie = login.headers.getSetCookie();
  const cookies = setCookie.map((c) => c.split(';')[0]).join('; ');
  return { client: new Client(api, { cookies, csrf: login.body.csrfToken, origin: platformOrigin }), cookies, csrf: login.body.csrfToken, setCookie };
}

/** The first user of a fresh API is its admin. */
export async function withAdmin(api: { url: string }): Promise<TestUser> {
  const admin = await signUp(api, `admin${randomBytes(3).toString('hex')}`);
  if (!admin.isAdmin) throw new Error('the first user was not made admin');
  return admin;
}

export async function newApp(user: TestUser, body: Record<string, unknown> = { name: 'My app', templateId: 'builtin-hello-fastapi' }): Promise<any> {
  const res = await user.client.post('/api/apps', body);
  if (res.status !== 201) throw new Error(`create app → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits until the app's recorded status reaches `phase`. */
export async function waitForPhase(user: TestUser, appId: string, phase: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await user.client.get(`/api/apps/${appId}`)).body;
    if (last?.status?.phase === phase) return last;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`app ${appId} did not reach ${phase}: ${JSON.stringify(last?.status)}`);
}

/**
 * Sets a 10 s idle timeout on the app, then runs the platform's own sleep sweep (instead of waiting for
 * its schedule) until the app sleeps, or throws after `timeoutMs`.
 */
export async function untilAsleep(api: Pick<TestApi, 'gateway' | 'services'>, user: TestUser, appId: string, timeoutMs = 45_000): Promise<void> {
  const set = await user.client.put(`/api/apps/${appId}/sleep`, { idleTimeoutSeconds: 10 });
  if (set.status !== 200) throw new Error(`idle timeout → ${set.status}: ${JSON.stringify(set.body)}`);
  await api.gateway?.traffic.flush();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await api.services.sleep.sweep()).includes(appId)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`app ${appId} did not go to sleep within ${timeoutMs / 1000} s of a 10 s idle timeout`);
}
