/**
 * Versions: immutable, numbered per app (`${appId}:${number}`), holding files and entrypoint only
 * (env vars live outside them). Publishing is serialized by the app's deploy lock and guarded by the
 * `_id`; the newest ten are kept.
 */
import type { Database } from '../db/database.js';
import type { AppDoc, StoredFile, VersionDoc } from '../db/documents.js';
import type { Framework } from '../../validation/index.js';
import { NotFoundError } from '../errors.js';
import { contentHash } from './files.js';

export const keptVersions = 10;

export class VersionService {
  constructor(private readonly db: Database) {}

  latest(appId: string): Promise<VersionDoc | null> {
    return this.db.versions.find({ appId }).sort({ number: -1 }).limit(1).next();
  }

  async get(appId: string, number: number): Promise<VersionDoc> {
    const version = await this.db.versions.findOne({ _id: `${appId}:${number}` });
    if (!version) throw new NotFoundError(`Version ${number} does not exist (the newest ${keptVersions} are kept).`);
    return version;
  }

  list(appId: string): Promise<VersionDoc[]> {
    return this.db.versions.find({ appId }).sort({ number: -1 }).limit(keptVersions).toArray();
  }

  async publish(app: AppDoc, content: { files: StoredFile[]; entrypoint: string; framework: Framework | null }, source: VersionDoc['source'], rolledBackFrom: number | null = null): Promise<VersionDoc> {
    const number = ((await this.latest(app._id))?.number ?? 0) + 1;
    const version: VersionDoc = {
      _id: `${app._id}:${number}`, appId: app._id, ownerId: app.ownerId, number, files: content.files, entrypoint: content.entrypoint,
      contentHash: contentHash(content.files, content.entrypoint), framework: content.framework, createdAt: new Date(), source, rolledBackFrom,
    };
    await this.db.versions.insertOne(version);
    await this.db.apps.updateOne({ _id: app._id }, { $set: { latestVersion: number } });
    await this.db.versions.deleteMany({ appId: app._id, number: { $lte: number - keptVersions } });
    return version;
  }
}
