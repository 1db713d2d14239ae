/**
 * Leader election on a coordination.k8s.io Lease, as client-go's leaderelection does it, so that one
 * API replica at a time reconciles, sweeps and puts apps to sleep:
 *  - a replica takes the Lease by creating it, or by replacing it at the resourceVersion it read (the
 *    apiserver's compare-and-set: of two replicas racing, one gets 409 and stays a follower);
 *  - the holder renews every third of the duration and steps down if it could not renew within two
 *    thirds of it, so it has stopped before anyone may take over;
 *  - a follower takes over once the Lease has not changed for its duration **as the follower observed
 *    it** (its own clock from when it saw that resourceVersion), never comparing another machine's
 *    `renewTime` with its own clock;
 *  - a graceful stop releases the Lease (no holder, one second), so the next replica takes over at its
 *    next try rather than after the duration.
 * Bodies are sent as JSON by hand: MicroTime needs six fractional digits, which Date's ISO form lacks.
 */
import type { KubeClient } from './client.js';
import { kubeCode, toDomainError } from './errors.js';

export interface LeaseOptions {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly durationSeconds: number;
  readonly log: (message: string) => void;
}

interface LeaseJson {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

/** RFC 3339 with microseconds, as the apiserver parses MicroTime. */
const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class LeaseElection {
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** The resourceVersion last seen and when (this process's clock). */
  private observed: { version: string; at: number } | null = null;
  private lastRenewAt = 0;
  /** The holder this replica last said it follows (said once per holder). */
  private followed = '';
  private readonly listeners: ((leading: boolean) => void)[] = [];
  private readonly path: string;

  constructor(private readonly client: KubeClient, private readonly options: LeaseOptions) {
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(options.namespace)}/leases`;
  }

  get identity(): string {
    return this.options.identity;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Called with true on taking the Lease and false on losing or releasing it. */
  onChange(listener: (leading: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Starts electing; resolves once the first try has ended (leading or following). */
  async start(): Promise<void> {
    await this.tick();
  }

  /** Stops trying, and releases the Lease if held. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.set(false, 'released');
    try {
      const current = await this.read();
      if (current?.spec?.holderIdentity !== this.options.identity) return;
      await this.client.objects.sendJson('PUT', `${this.path}/${encodeURIComponent(this.options.name)}`, {
        ...current, spec: { ...current.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(Date.now()) },
      });
    } catch (error) {
      this.options.log(`lease: could not release ${this.options.name}: ${String(error)}`);
    }
  }

  private get durationMs(): number {
    return this.options.durationSeconds * 1000;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.tryAcquireOrRenew();
    } catch (error) {
      this.options.log(`lease: ${toDomainError(error, `lease ${this.options.namespace}/${this.options.name}`).message}`);
    }
    // Past the renew deadline without a renewal: stop acting before a follower may take over.
    if (this.leading && Date.now() - this.lastRenewAt > (this.durationMs * 2) / 3) this.set(false, 'could not renew in time');
    if (this.stopped) return;
    const wait = this.leading ? this.durationMs / 3 : Math.max(500, this.durationMs / 5);
    this.timer = setTimeout(() => void this.tick(), wait);
    this.timer.unref();
  }

  private async read(): Promise<LeaseJson | null> {
    try {
      return await this.client.objects.getJson<LeaseJson>(`${this.path}/${encodeURIComponent(this.options.name)}`);
    } catch (error) {
      if (kubeCode(error) === 404) return null;
      throw error;
    }
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const now = Date.now();
    const current = await this.read();
    const me = this.options.identity;
    if (!current) {
      const created = await this.write('POST', this.path, {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.options.name, namespace: this.options.namespace },
        spec: { holderIdentity: me, leaseDurationSeconds: this.options.durationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
      });
      if (created) this.took(created, now, 'created');
      return;
    }
    const version = current.metadata.resourceVersion ?? '';
    if (this.observed?.version !== version) this.observed = { version, at: now };
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const held = holder !== '' && holder !== me;
    const expiresAt = this.observed.at + (spec.leaseDurationSeconds ?? this.options.durationSeconds) * 1000;
    if (held && now < expiresAt) {
      if (this.leading) this.set(false, `taken by ${holder}`);
      else if (this.followed !== holder) this.options.log(`lease: following ${holder} (${this.options.namespace}/${this.options.name} as ${this.options.identity})`);
      this.followed = holder;
      return;
    }
    const mine = holder === me;
    const replaced = await this.write('PUT', `${this.path}/${encodeURIComponent(this.options.name)}`, {
      ...current,
      spec: {
        holderIdentity: me, leaseDurationSeconds: this.options.durationSeconds,
        acquireTime: mine && spec.acquireTime ? spec.acquireTime : microTime(now), renewTime: microTime(now),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
      },
    });
    if (replaced) this.took(replaced, now, holder === '' ? 'released by its holder' : mine ? 'renewed' : `expired (held by ${holder})`);
  }

  /** The written Lease, or null when another replica wrote first (409). */
  private async write(method: 'POST' | 'PUT', path: string, body: LeaseJson & { apiVersion?: string; kind?: string }): Promise<LeaseJson | null> {
    try {
      return await this.client.objects.sendJson<LeaseJson>(method, path, body);
    } catch (error) {
      if (kubeCode(error) === 409) return null;
      throw error;
    }
  }

  private took(lease: LeaseJson, at: number, how: string): void {
    this.observed = { version: lease.metadata.resourceVersion ?? '', at };
    this.lastRenewAt = at;
    if (!this.leading) this.set(true, how);
  }

  private set(leading: boolean, why: string): void {
    if (this.leading === leading) return;
    this.leading = leading;
    this.options.log(`lease: ${leading ? 'leading' : 'following'} (${this.options.namespace}/${this.options.name} as ${this.options.identity}: ${why})`);
    for (const listener of this.listeners) listener(leading);
  }
}
