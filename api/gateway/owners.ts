/**
 * Which apps exist, and whose: what the gateway reads before it forwards or records anything. An app
 * never changes owner, so a known one is cached for a minute; an unknown one for two seconds (it may
 * be created any moment), and a deleted one stops at once for the process that deleted it (`forget`).
 */
import type { Collection } from 'mongodb';
import type { AppDoc } from '../db/documents.js';
import type { AppOwners } from './backend.js';

export class DatabaseAppOwners implements AppOwners {
  private readonly cache = new Map<string, { owner: string | null; until: number }>();

  constructor(private readonly apps: Collection<AppDoc>) {}

  async ownerOf(appId: string): Promise<string | null> {
    const hit = this.cache.get(appId);
    if (hit && hit.until > Date.now()) return hit.owner;
    const app = await this.apps.findOne({ _id: appId }, { projection: { ownerId: 1, deletingAt: 1 } });
    const owner = app && !app.deletingAt ? app.ownerId : null;
    this.cache.set(appId, { owner, until: Date.now() + (owner ? 60_000 : 2000) });
    if (this.cache.size > 100_000) this.cache.clear();
    return owner;
  }

  forget(appId: string): void {
    this.cache.delete(appId);
  }
}
