/**
 * Personal API tokens for the CLI and CI: long-lived, shown once, stored as SHA-256 hashes, listed by
 * name and prefix, revocable. Every request reads the token and its user (two `_id` lookups), so a
 * revoked token, a deleted user or a demoted admin is refused or demoted at the very next request, on
 * every API process and after any restart. `lastUsedAt` is written at most once a minute per token.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { ApiTokenDoc } from '../db/documents.js';
import type { Principal } from './accounts.js';
import { newSecretToken, tokenHash } from './tokens.js';

export interface PublicApiToken {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
}

function toPublic(doc: ApiTokenDoc): PublicApiToken {
  return {
    id: doc.id, name: doc.name, prefix: doc.prefix, createdAt: doc.createdAt.toISOString(),
    lastUsedAt: doc.lastUsedAt?.toISOString() ?? null, expiresAt: doc.expiresAt?.toISOString() ?? null,
  };
}

export class ApiTokenService {
  /** When this process last wrote a token's `lastUsedAt` (it is informative, not a security check). */
  private readonly touched = new Map<string, number>();

  constructor(private readonly db: Database) {}

  async create(userId: string, input: { name: string; expiresInDays?: number | undefined }): Promise<PublicApiToken & { token: string }> {
    const token = newSecretToken('fpt_');
    const now = new Date();
    const doc: ApiTokenDoc = {
      _id: tokenHash(token),
      id: randomBytes(8).toString('hex'),
      userId,
      name: input.name.trim(),
      prefix: token.slice(0, 10),
      createdAt: now,
      lastUsedAt: null,
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
    };
    await this.db.apiTokens.insertOne(doc);
    return { ...toPublic(doc), token };
  }

  async list(userId: string): Promise<PublicApiToken[]> {
    return (await this.db.apiTokens.find({ userId }).sort({ createdAt: -1 }).limit(200).toArray()).map(toPublic);
  }

  async revoke(userId: string, id: string): Promise<boolean> {
    const doc = await this.db.apiTokens.findOne({ id, userId });
    if (!doc) return false;
    await this.db.apiTokens.deleteOne({ _id: doc._id });
    this.touched.delete(doc._id);
    return true;
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    const hash = tokenHash(token);
    const doc = await this.db.apiTokens.findOne({ _id: hash });
    const user = doc && (!doc.expiresAt || doc.expiresAt > new Date()) ? await this.db.users.findOne({ _id: doc.userId }) : null;
    if (!user || user.deletingAt) return undefined;
    const now = Date.now();
    if (now - (this.touched.get(hash) ?? 0) > 60_000) {
      this.touched.set(hash, now);
      if (this.touched.size > 10_000) this.touched.clear();
      await this.db.apiTokens.updateOne({ _id: hash }, { $set: { lastUsedAt: new Date(now) } });
    }
    return { userId: user._id, isAdmin: user.isAdmin, sessionId: null, via: 'api-token' };
  }
}
