/** Wires the services together from their dependencies; no I/O happens here. */
import type { Validator } from '../../validation/index.js';
import type { Config } from '../config.js';
import type { DatabaseProvider } from '../databases/index.js';
import type { Database } from '../db/database.js';
import type { Runtime } from '../runtime/types.js';
import { AccountService } from './accounts.js';
import { ApiTokenService } from './api-tokens.js';
import { AppService } from './apps.js';
import { DatabaseService } from './databases.js';
import { DeployService } from './deploys.js';
import { DeviceLoginService } from './device-logins.js';
import { DraftService } from './drafts.js';
import { EnvVarService } from './env-vars.js';
import { ExplorerService } from './explorer.js';
import { SleepService } from './sleep.js';
import { Wakes } from './wakes.js';
import { AppRuntimeService } from './app-runtime.js';
import { BootState } from './boot.js';
import { TrafficReader } from '../gateway/index.js';
import { LockService } from './locks.js';
import { RevocationService } from './revocations.js';
import { deriveKeys } from './secrets.js';
import { SettingsService } from './settings.js';
import { Stamps } from './stamps.js';
import { StatsService } from './stats.js';
import { TemplateService } from './templates.js';
import { UserAdminService } from './users.js';
import { ValidationService } from './validation.js';
import { VersionService } from './versions.js';

export interface ServiceDeps {
  readonly db: Database;
  readonly config: Pick<Config, 'secretKey' | 'accessTokenTtlSeconds' | 'sessionTtlDays' | 'loginRatePerMinute' | 'publicUrl'> & { readonly databases?: { readonly queryMs: number } };
  readonly runtime: Runtime;
  readonly validator: Validator;
  /** Where users' databases live (null: none offered). */
  readonly databases?: DatabaseProvider | null;
  readonly log: (message: string) => void;
}

export interface Services {
  readonly db: Database;
  readonly runtime: Runtime;
  readonly accounts: AccountService;
  readonly apiTokens: ApiTokenService;
  readonly deviceLogins: DeviceLoginService;
  readonly settings: SettingsService;
  readonly validation: ValidationService;
  readonly drafts: DraftService;
  readonly versions: VersionService;
  readonly env: EnvVarService;
  readonly deploys: DeployService;
  readonly apps: AppService;
  readonly templates: TemplateService;
  readonly users: UserAdminService;
  readonly stats: StatsService;
  readonly databases: DatabaseService;
  readonly explorer: ExplorerService;
  /** Request records and metrics, as the gateways wrote them. */
  readonly traffic: TrafficReader;
  readonly sleep: SleepService;
  /** Wakes sleeping apps (the gateway's Waker in this process). */
  readonly wakes: Wakes;
  readonly appRuntime: AppRuntimeService;
  /** The change feeds that keep replicas' views coherent. */
  readonly stamps: Stamps;
  /** Starting (first reconcile under way) or ready, for health. */
  readonly boot: BootState;
}

export function createServices(deps: ServiceDeps): Services {
  const { db, runtime } = deps;
  const keys = deriveKeys(deps.config.secretKey);
  const settings = new SettingsService(db.settings);
  const locks = new LockService(db.locks);
  const stamps = new Stamps(db.stamps);
  const revocations = new RevocationService(db.revocations, deps.config.accessTokenTtlSeconds * 1000, stamps);
  const accounts = new AccountService(db, keys, settings, deps.config, revocations);
  const apiTokens = new ApiTokenService(db);
  const deviceLogins = new DeviceLoginService(db, accounts, deps.config);
  const validation = new ValidationService(deps.validator, settings);
  const drafts = new DraftService(db);
  const versions = new VersionService(db);
  const env = new EnvVarService(keys.encryption);
  // Deploys report state changes to the apps' directory, and databases redeploy the apps they serve:
  // built together.
  const late: { apps?: AppService; deploys?: DeployService } = {};
  const databases = new DatabaseService({
    db, provider: deps.databases ?? null, key: keys.encryption, settings, log: deps.log,
    redeploy: async (appId) => { await late.apps?.redeployWithNewEnv(appId); },
  });
  const deploys = new DeployService({ db, runtime, drafts, versions, env, databases, validation, locks, log: deps.log, changed: async (appId) => late.apps?.reindex(appId) });
  late.deploys = deploys;
  const templates = new TemplateService(db, validation, drafts, stamps);
  const traffic = new TrafficReader(db.traffic);
  const apps = new AppService({ db, runtime, drafts, deploys, env, databases, traffic, settings, templates: () => templates, stamps });
  late.apps = apps;
  const users = new UserAdminService(db, accounts, apps, templates, locks, databases);
  const stats = new StatsService(db, traffic);
  const explorer = new ExplorerService(databases, deps.config.databases?.queryMs);
  const changed = (appId: string) => apps.reindex(appId);
  const wakes = new Wakes({
    db, locks, wakeRuntime: (app) => runtime.wake(app._id, () => deploys.desiredOf(app)), changed, log: deps.log,
    // Only the local runtime's gateway runs in this process (the Kubernetes gateway has its own waker).
    ...(runtime.kind === 'local' ? { restore: (appId: string) => deploys.restore(appId) } : {}),
  });
  const sleep = new SleepService({ db, runtime, locks, settings, wakes, traffic, changed, log: deps.log });
  const appRuntime = new AppRuntimeService({ runtime, drafts, versions, env, databases, traffic, settings, db });
  return { boot: new BootState(), stamps, db, runtime, accounts, apiTokens, deviceLogins, settings, validation, drafts, versions, env, deploys, apps, templates, users, stats, databases, explorer, traffic, sleep, wakes, appRuntime };
}
