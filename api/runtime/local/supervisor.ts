/**
 * One app in the local runtime. A deploy starts the new version's runner beside the serving one, waits
 * for /_platform/health, switches the proxy's target, and only then retires the old process once its
 * in-flight requests are done: a good deploy fails no request, and a version that cannot start is
 * reported (with the runner's failure line) while the old one keeps serving. A serving process that
 * crashes is restarted with exponential back-off (1 s doubling to 30 s), like a kubelet's
 * CrashLoopBackOff.
 */
import type { ProgressEvent, RuntimeApp, RuntimeEvent, RuntimeStatus, RuntimeVersion } from '../types.js';
import { AppLogs } from './app-logs.js';
import type { CodeStore } from './code-store.js';
import { Feed } from '../feed.js';
import { RunnerInstance, type StartFailure, type StartFailureReason } from './instance.js';
import type { PidFiles } from './pid-files.js';
import type { RunnerLauncher } from './runner-launch.js';

export interface SupervisorDeps {
  readonly launcher: RunnerLauncher;
  readonly store: CodeStore;
  readonly pids: PidFiles;
  readonly startTimeoutMs: number;
  readonly log: (message: string) => void;
}

interface Spec {
  readonly version: RuntimeVersion;
  readonly env: Readonly<Record<string, string>>;
  readonly codeDir: string;
}

/** A runner process and the proxy's count of requests it is serving. */
export interface Serving {
  readonly runner: RunnerInstance;
  readonly version: number;
  readonly codeDir: string;
  readonly startedAt: number;
  inflight: number;
}

interface Rollout {
  readonly version: number;
  readonly codeDir: string;
  readonly feed: Feed<ProgressEvent>;
  candidate: RunnerInstance | null;
  cancelled: boolean;
}

type StartError = Error & { failure?: StartFailure; reason?: StartFailureReason };

const maxBackoffMs = 30_000;

export class AppSupervisor {
  readonly logs = new AppLogs();
  private readonly history: RuntimeEvent[] = [];
  private current: Serving | null = null;
  private spec: Spec | null = null;
  private rollout: Rollout | null = null;
  private lastRollout: Feed<ProgressEvent> | null = null;
  private failure: { version: number; message: string } | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private backoffMs = 1000;
  private readonly waiters = new Set<() => void>();
  private removed = false;
  private asleep = false;

  constructor(readonly app: RuntimeApp, private readonly deps: SupervisorDeps) {}

  private event(type: RuntimeEvent['type'], reason: string, message: string): void {
    this.history.push({ at: new Date().toISOString(), type, reason, message, object: `app/${this.app.id}` });
    if (this.history.length > 200) this.history.shift();
  }

  private progress(rollout: Rollout, phase: ProgressEvent['phase'], message: string, failure?: ProgressEvent['failure']): void {
    rollout.feed.push({ phase, version: rollout.version, at: new Date().toISOString(), message, ...(failure ? { failure } : {}) });
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }

  /** Starts a rollout; resolves once it has begun (the version's files are in place). */
  async deploy(version: RuntimeVersion, env: Readonly<Record<string, string>>): Promise<void> {
    if (this.rollout) this.cancel(this.rollout);
    const codeDir = this.deps.store.pathOf(this.app.id, version);
    const rollout: Rollout = { version: version.number, codeDir, feed: new Feed(100), candidate: null, cancelled: false };
    this.rollout = rollout;
    this.lastRollout = rollout.feed;
    this.event('Normal', 'Deploying', `version ${version.number}`);
    this.progress(rollout, 'validating', `writing version ${version.number}'s ${version.files.length} file${version.files.length === 1 ? '' : 's'}`);
    try {
      await this.deps.store.write(codeDir, version);
    } catch (error) {
      const message = `the version's files could not be written: ${error instanceof Error ? error.message : String(error)}`;
      this.progress(rollout, 'failed', message, { reason: 'apply-failed', message, file: null, line: null });
      this.finish(rollout);
      throw error;
    }
    if (rollout.cancelled) return;
    void this.roll(rollout, { version, env, codeDir });
  }

  private cancel(rollout: Rollout): void {
    rollout.cancelled = true;
    rollout.candidate?.kill();
    rollout.feed.close();
  }

  private async roll(rollout: Rollout, spec: Spec): Promise<void> {
    this.progress(rollout, 'starting', `starting version ${spec.version.number}`);
    let started: Serving;
    try {
      started = await this.launch(spec, (runner) => { rollout.candidate = runner; });
    } catch (error) {
      if (rollout.cancelled) return;
      const e = error as StartError;
      const failure = { reason: e.reason ?? 'unknown', message: e.failure?.message ?? e.message, file: e.failure?.file ?? null, line: e.failure?.line ?? null } as const;
      this.failure = { version: spec.version.number, message: failure.message };
      const where = failure.file ? ` (${failure.file}${failure.line ? `:${failure.line}` : ''})` : '';
      this.event('Warning', 'Failed', `version ${spec.version.number} did not start${where}: ${failure.message}${this.current ? `; version ${this.current.version} keeps serving` : ''}`);
      this.progress(rollout, 'failed', failure.message, failure);
      this.finish(rollout);
      return;
    }
    if (rollout.cancelled || this.removed) {
      await started.runner.stop(1000);
      return;
    }
    const old = this.current;
    this.current = started;
    this.spec = spec;
    this.asleep = false;
    this.failure = null;
    this.backoffMs = 1000;
    this.clearRestart();
    this.event('Normal', 'Ready', `version ${spec.version.number} serves`);
    this.progress(rollout, 'ready', `version ${spec.version.number} is ready`);
    this.finish(rollout);
    this.wake();
    if (old) await this.retire(old, spec.version.number);
    // Older versions' files go; the serving one's and a newer rollout's stay.
    await this.deps.store.prune(this.app.id, () => [this.current?.codeDir, this.rollout?.codeDir]).catch(() => {});
  }

  private finish(rollout: Rollout): void {
    rollout.feed.close();
    if (this.rollout === rollout) this.rollout = null;
  }

  /** A runner for the spec, resolved once healthy; its later exit is handled here. */
  private async launch(spec: Spec, spawned: (runner: RunnerInstance) => void = () => {}): Promise<Serving> {
    const version = spec.version.number;
    const runner = await RunnerInstance.start(this.deps.launcher, {
      appId: this.app.id, ownerId: this.app.ownerId, version, codeDir: spec.codeDir, entrypoint: spec.version.entrypoint, env: spec.env,
    }, {
      onLine: (stream, text) => this.logs.push(stream, text, version),
      onEvent: () => {},
    });
    spawned(runner);
    const serving: Serving = { runner, version, codeDir: spec.codeDir, startedAt: Date.now(), inflight: 0 };
    const recorded = runner.exited.then(() => undefined);
    // A sandbox dies with the platform (--die-with-parent); an unsandboxed runner outlives a platform
    // killed outright, which then ends it at its next start.
    if (!this.deps.launcher.sandboxed) void (async () => {
      for (let waited = 0; runner.pid === undefined && runner.running && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      const pid = runner.pid;
      if (pid === undefined) return;
      await this.deps.pids.record(pid, this.app.id);
      await recorded;
      await this.deps.pids.forget(pid);
    })();
    void runner.exited.then((exit) => {
      if (this.current === serving && !runner.stopped) this.crashed(serving, exit.oomKilled ? 'killed: out of memory' : exit.signal ?? `code ${exit.code}`);
    });
    try {
      await runner.waitHealthy(this.deps.startTimeoutMs);
    } catch (error) {
      runner.kill();
      throw error;
    }
    return serving;
  }

  private crashed(serving: Serving, how: string): void {
    this.current = null;
    if (Date.now() - serving.startedAt > 60_000) this.backoffMs = 1000;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, maxBackoffMs);
    this.failure = { version: serving.version, message: `version ${serving.version} exited (${how}); restarting in ${delay / 1000} s` };
    this.event('Warning', 'Crashed', this.failure.message);
    this.scheduleRestart(delay);
  }

  private scheduleRestart(delayMs: number): void {
    this.clearRestart();
    this.restartTimer = setTimeout(() => void this.restart(), delayMs);
    this.restartTimer.unref();
  }

  private clearRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private async restart(): Promise<void> {
    this.restartTimer = null;
    const spec = this.spec;
    if (this.removed || this.asleep || this.current || this.rollout || !spec) return;
    try {
      const serving = await this.launch(spec);
      if (this.removed || this.current || this.rollout) {
        await serving.runner.stop(1000);
        return;
      }
      this.current = serving;
      this.failure = null;
      this.event('Normal', 'Restarted', `version ${serving.version} serves again`);
      this.wake();
    } catch (error) {
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, maxBackoffMs);
      this.failure = { version: spec.version.number, message: `${(error as StartError).failure?.message ?? String(error)}; retrying in ${delay / 1000} s` };
      this.event('Warning', 'BackOff', this.failure.message);
      this.scheduleRestart(delay);
    }
  }

  /** Waits for the old process's in-flight requests (at most 30 s), then stops it gracefully. */
  private async retire(old: Serving, replacedBy: number): Promise<void> {
    for (let waited = 0; old.inflight > 0 && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await old.runner.stop(10_000);
    this.event('Normal', 'Stopped', `version ${old.version} stopped (replaced by version ${replacedBy})`);
  }

  get isSleeping(): boolean {
    return this.asleep;
  }

  /** The app was idle: its runner stops (in-flight requests finish); its spec stays for `wake`. */
  async sleep(): Promise<void> {
    if (this.asleep || this.rollout || this.removed) return;
    this.asleep = true;
    this.clearRestart();
    const current = this.current;
    this.current = null;
    const feed = new Feed<ProgressEvent>(10);
    this.lastRollout = feed;
    feed.push({ phase: 'sleeping', version: current?.version ?? this.spec?.version.number ?? 0, at: new Date().toISOString(), message: 'no requests for a while: the app sleeps until the next one' });
    feed.close();
    this.wake();
    if (current) {
      for (let waited = 0; current.inflight > 0 && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      await current.runner.stop(10_000);
    }
    this.event('Normal', 'Sleeping', `version ${current?.version ?? '?'} stopped: no requests for a while; the next one wakes it`);
  }

  /** Starts the sleeping app's version again; resolves once it serves. */
  async wakeUp(spec?: { version: RuntimeVersion; env: Readonly<Record<string, string>> }): Promise<void> {
    if (spec) this.spec = { ...spec, codeDir: this.deps.store.pathOf(this.app.id, spec.version) };
    if (!this.asleep && this.current) return;
    const wanted = this.spec;
    if (!wanted) throw new Error('nothing to wake: the app has no version');
    await this.deps.store.write(wanted.codeDir, wanted.version);
    const feed = new Feed<ProgressEvent>(20);
    this.lastRollout = feed;
    const progress = (phase: ProgressEvent['phase'], message: string, failure?: ProgressEvent['failure']) =>
      feed.push({ phase, version: wanted.version.number, at: new Date().toISOString(), message, ...(failure ? { failure } : {}) });
    progress('waking', `a request arrived: starting version ${wanted.version.number} again`);
    this.event('Normal', 'Waking', `version ${wanted.version.number}: a request arrived`);
    try {
      const serving = await this.launch(wanted);
      this.current = serving;
      this.asleep = false;
      this.failure = null;
      this.backoffMs = 1000;
      progress('ready', `version ${wanted.version.number} is awake`);
      this.event('Normal', 'Woken', `version ${wanted.version.number} serves again`);
      this.wake();
    } catch (error) {
      const e = error as StartError;
      const failure = { reason: e.reason ?? 'unknown', message: e.failure?.message ?? e.message, file: e.failure?.file ?? null, line: e.failure?.line ?? null } as const;
      progress('failed', failure.message, failure);
      this.event('Warning', 'WakeFailed', failure.message);
      throw error;
    } finally {
      feed.close();
    }
  }

  /** Holds the spec of an app that sleeps (after a platform restart), so a request can wake it. */
  restAsleep(version: RuntimeVersion, env: Readonly<Record<string, string>>): void {
    this.spec = { version, env, codeDir: this.deps.store.pathOf(this.app.id, version) };
    this.asleep = true;
  }

  /**
   * The process to send a request to. While the app is starting (a first deploy, a restart) this
   * waits up to `waitMs` for it, so a request right after a deploy is answered rather than refused.
   * A sleeping app has none (the gateway wakes it first).
   */
  async target(waitMs: number): Promise<{ serving: Serving; waited: boolean } | null> {
    if (this.current?.runner.running) return { serving: this.current, waited: false };
    if (this.asleep) return null;
    // A current process that is no longer running is a crash about to be handled: wait for the restart.
    if (this.removed || (!this.rollout && !this.restartTimer && !this.current)) return null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      this.waiters.add(() => { clearTimeout(timer); resolve(); });
    });
    return this.current?.runner.running ? { serving: this.current, waited: true } : null;
  }

  status(url: string): RuntimeStatus {
    const servingVersion = this.current?.version ?? null;
    const base = { servingVersion, url };
    if (this.rollout) return { ...base, phase: 'deploying', targetVersion: this.rollout.version, message: `starting version ${this.rollout.version}` };
    if (this.failure) return { ...base, phase: 'failed', targetVersion: this.failure.version, message: this.failure.message };
    if (this.current) return { ...base, phase: 'ready', targetVersion: this.current.version, message: null };
    if (this.asleep) return { ...base, phase: 'sleeping', targetVersion: this.spec?.version.number ?? null, message: 'asleep: the next request wakes it' };
    return { ...base, phase: 'absent', targetVersion: null, message: null };
  }

  async *progressEvents(signal?: AbortSignal): AsyncGenerator<ProgressEvent> {
    const feed = this.lastRollout;
    if (!feed) return;
    for await (const entry of feed.follow(0, signal)) {
      yield entry.item;
      if (entry.item.phase === 'ready' || entry.item.phase === 'failed' || entry.item.phase === 'sleeping') return;
    }
  }

  pids(): number[] {
    return [this.current?.runner.pid, this.rollout?.candidate?.pid].filter((pid): pid is number => pid !== undefined);
  }

  events(limit: number): RuntimeEvent[] {
    return this.history.slice(-limit).reverse();
  }

  /** Stops everything of the app; with `keepFiles` (platform shutdown) its code stays for the next start. */
  async stop(options: { keepFiles: boolean }): Promise<void> {
    this.removed = true;
    this.clearRestart();
    if (this.rollout) this.cancel(this.rollout);
    const current = this.current;
    this.current = null;
    this.wake();
    if (current) await current.runner.stop(options.keepFiles ? 10_000 : 5000);
    this.logs.close();
    this.lastRollout?.close();
    if (!options.keepFiles) await this.deps.store.removeApp(this.app.id);
  }
}
