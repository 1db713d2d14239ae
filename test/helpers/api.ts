/**
 * The API on an ephemeral port against the bed's MongoDB server (a fresh database per call), with the
 * bed's CPython 3.11 validator, and HTTP clients that sign in with tokens (CLI style) or cookies
 * (browser style: __Host- cookies, Origin and X-CSRF-Token on unsafe requests).
 */
import type { ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type PlatformApp } from '../../api/app.js';
import { loadConfig, type Config } from '../../api/config.js';
import { connectDatabase, type Database } from '../../api/db/database.js';
import type { Runtime } from '../../api/runtime/types.js';
import { createServices, type Services } from '../../api/services/index.js';
import { prepare } from '../../api/services/maintenance.js';
import { attachLogSocket } from '../../api/ws/logs.js';
import { loadTemplates } from '../../templates/index.js';
import { mongoUri, uniqueName, venvPython } from './bed.js';
import { fakeRuntime, type FakeRuntime } from './fake-runtime.js';
import { createNodeValidator } from '../../validation/node.js';

export const platformOrigin = 'https://platform.test';
export const appDomain = 'apps.test';

export interface TestApi {
  readonly url: string;
  readonly config: Config;
  readonly services: Services;
  readonly db: Database;
  readonly app: PlatformApp;
  readonly runtime: Runtime;
  readonly server: Server;
}

export interface ApiOptions {
  readonly runtime?: Runtime;
  readonly env?: Record<string, string>;
}

export async function startApi(t: ExecutionContext, options: ApiOptions = {}): Promise<TestApi & { runtime: FakeRuntime | Runtime }> {
  const dbName = uniqueName('api').replace(/-/g, '_');
  const config = loadConfig({
    NODE_ENV: 'test', MONGO_URI: mongoUri(), MONGO_DB: dbName, SECRET_KEY: randomBytes(32).toString('hex'),
    PUBLIC_URL: platformOrigin, BASE_DOMAIN: 'platform.test', APP_DOMAIN: appDomain, RUNTIME: 'local', ...options.env,
  }, () => {});
  const db = await connectDatabase(config.mongoUri, config.mongoDb);
  const runtime = options.runtime ?? fakeRuntime(appDomain);
  const validator = await createNodeValidator({ python: venvPython() });
  const services = createServices({ db, config, runtime, validator, log: (m) => t.log(m) });
  await prepare(services, await loadTemplates());
  const app = createApp({ config, services, log: (m) => t.log(m) });
  const server = createServer(app.koa.callback());
  attachLogSocket(server, { services, tickets: app.tickets, config, log: (m) => t.log(m) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    services.deploys.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.db.dropDatabase();
    await db.close();
    await validator.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, config, services, db, app, runtime, server };
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
export async function waitForPhase(user: TestUser, appId: string, phase: string, timeoutMs = 10_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await user.client.get(`/api/apps/${appId}`)).body;
    if (last?.status?.phase === phase) return last;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`app ${appId} did not reach ${phase}: ${JSON.stringify(last?.status)}`);
}
