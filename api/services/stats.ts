/**
 * Platform statistics for admins, from counts on indexed fields of the platform's own collections,
 * never by scanning user databases; cached for 30 seconds.
 */
import type { Database } from '../db/database.js';
import { allApps } from '../gateway/traffic.js';
import type { TrafficReader } from '../gateway/index.js';

export interface PlatformStats {
  readonly users: number;
  readonly admins: number;
  readonly signupsLast7Days: number;
  readonly apps: { total: number; draft: number; deploying: number; running: number; failed: number };
  readonly templates: { global: number; user: number };
  readonly requestsLast24Hours: number;
  readonly generatedAt: string;
}

export class StatsService {
  private cached: { stats: PlatformStats; at: number } | undefined;

  constructor(private readonly db: Database, private readonly traffic: TrafficReader, private readonly cacheMs = 30_000) {}

  /** From the gateways' platform-wide rollup: one read per replica and minute, no scan of apps. */
  private async recentRequests(since: Date): Promise<number> {
    const now = Math.floor(Date.now() / 60_000);
    const rollups = await this.traffic.rollups(allApps, '_platform', Math.floor(since.getTime() / 60_000), now);
    return rollups.reduce((n, r) => n + r.requests, 0);
  }

  async get(): Promise<PlatformStats> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return this.cached.stats;
    const day = new Date(Date.now() - 86_400_000);
    const week = new Date(Date.now() - 7 * 86_400_000);
    const live = { deletingAt: { $exists: false } };
    const phase = (p: string) => this.db.apps.countDocuments({ 'deploy.phase': p, ...live });
    const [users, admins, signups, total, draft, deploying, running, failed, globalTemplates, userTemplates, requests] = await Promise.all([
      this.db.users.countDocuments(live), this.db.users.countDocuments({ isAdmin: true, ...live }), this.db.users.countDocuments({ createdAt: { $gte: week } }),
      this.db.apps.countDocuments(live), phase('draft'), phase('deploying'), phase('running'), phase('failed'),
      this.db.templates.countDocuments({ ownerId: null, deleted: false }), this.db.templates.countDocuments({ ownerId: { $ne: null }, deleted: false }),
      this.recentRequests(day),
    ]);
    const stats: PlatformStats = {
      users, admins, signupsLast7Days: signups, apps: { total, draft, deploying, running, failed },
      templates: { global: globalTemplates, user: userTemplates }, requestsLast24Hours: requests, generatedAt: new Date().toISOString(),
    };
    this.cached = { stats, at: Date.now() };
    return stats;
  }
}
