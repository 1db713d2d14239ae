/**
 * Versions: immutable, numbered per app (`${appId}:${number}`), holding files and entrypoint only
 * (env vars live outside them). Publishing is serialized by the app's deploy lock and guarded by the
 * `_id`; the newest ten are kept. Every read is an `_id` lookup from the app's latest-version hint.
 */
import type { Database } from '../db/database.js';
import type { AppDoc, StoredFile, VersionDoc } from '../db/documents.js';
import type { Framework } from '../../validation/index.js';
import { NotFoundError } from '../errors.js';
import { contentHash } from './files.js';

export const keptVersions = 10;

export class VersionService {
  constructor(private readonly db: Database) {}

  async latest(app: Pick<AppDoc, '_id' | 'latestVersion'>): Promise<VersionDoc | null> {
    let version = app.latestVersion > 0 ? await this.db.versions.findOne({ _id: `${app._id}:${app.latestVersion}` }) : null;
    if (!version && app.latestVersion > 0) version = await this.db.versions.find({ appId: app._id }).sort({ number: -1 }).limit(1).next();
    for (let n = (version?.number ?? 0) + 1; ; n++) {
      const next = await this.db.versions.findOne({ _id: `${app._id}:${n}` });
      if (!next) return version;
      version = next;
    }
  }

  find(appId: string, number: number): Promise<VersionDoc | null> {
    return this.db.versions.findOne({ _id: `${appId}:${number}` });
  }

  async get(appId: string, number: number): Promise<VersionDoc> {
    const version = await this.find(appId, number);
    if (!version) throw new NotFoundError(`Version ${number} does not exist (the newest ${keptVersions} are kept).`);
    return version;
  }

  async list(app: Pick<AppDoc, '_id' | 'latestVersion'>): Promise<VersionDoc[]> {
    const newest = (await this.latest(app))?.number ?? 0;
    const numbers = Array.from({ length: Math.min(keptVersions, newest) }, (_, i) => newest - i);
    const found = await Promise.all(numbers.map((n) => this.db.versions.findOne({ _id: `${app._id}:${n}` })));
    return found.filter((v): v is VersionDoc => v !== null);
  }

  async publish(app: AppDoc, content: { files: StoredFile[]; entrypoint: string; framework: Framework | null }, source: VersionDoc['source'], rolledBackFrom: number | null = null): Promise<VersionDoc> {
    const number = ((await this.latest(app))?.number ?? 0) + 1;
    const version: VersionDoc = {
      _id: `${app._id}:${number}`, appId: app._id, ownerId: app.ownerId, number, files: content.files, entrypoint: content.entrypoint,
      contentHash: contentHash(content.files, content.entrypoint), framework: content.framework, createdAt: new Date(), source, rolledBackFrom,
    };
    await this.db.versions.insertOne(version);
    await this.db.apps.updateOne({ _id: app._id }, { $set: { latestVersion: number } });
    // The version still serving is kept even when older than the newest ten (failed rollouts since).
    const dropped = number - keptVersions;
    if (dropped > 0 && dropped !== app.deploy.version && dropped !== app.deploy.servingVersion) await this.db.versions.deleteOne({ _id: `${app._id}:${dropped}` });
    return version;
  }
}
