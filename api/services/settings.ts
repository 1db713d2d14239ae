/**
 * Platform settings an admin controls: signups, the import allow-list, validation limits and the
 * numbers of apps and databases per user. Read by `_id` on every use, not cached: one small document,
 * and a change an admin makes through one API replica applies on every replica at the next request.
 */
import type { Collection } from 'mongodb';
import { defaultLimits, defaultRules, type ValidationRules } from '../../validation/index.js';
import type { SettingsDoc, ValidationLimitsDoc } from '../db/documents.js';

export interface Settings {
  readonly allowSignups: boolean;
  /** null: the validator's defaults. */
  readonly allowedImports: readonly string[] | null;
  readonly limits: ValidationLimitsDoc;
  readonly maxAppsPerUser: number;
  readonly maxDatabasesPerUser: number;
  /** Apps with no request for this long sleep (per-app overrides and always-on apps aside). */
  readonly idleTimeoutMinutes: number;
  readonly updatedAt: Date | null;
  readonly updatedBy: string | null;
}

export interface SettingsUpdate {
  readonly allowSignups?: boolean | undefined;
  readonly allowedImports?: readonly string[] | null | undefined;
  readonly limits?: ValidationLimitsDoc | undefined;
  readonly maxAppsPerUser?: number | undefined;
  readonly maxDatabasesPerUser?: number | undefined;
  readonly idleTimeoutMinutes?: number | undefined;
}

const defaults: Settings = {
  allowSignups: true,
  allowedImports: null,
  limits: { ...defaultLimits },
  maxAppsPerUser: 100,
  maxDatabasesPerUser: 5,
  idleTimeoutMinutes: 15,
  updatedAt: null,
  updatedBy: null,
};

export class SettingsService {
  constructor(private readonly settings: Collection<SettingsDoc>) {}

  async get(): Promise<Settings> {
    const doc = await this.settings.findOne({ _id: 'platform' });
    const value: Settings = doc
      ? {
        allowSignups: doc.allowSignups, allowedImports: doc.allowedImports, limits: doc.limits, maxAppsPerUser: doc.maxAppsPerUser,
        maxDatabasesPerUser: doc.maxDatabasesPerUser ?? defaults.maxDatabasesPerUser, idleTimeoutMinutes: doc.idleTimeoutMinutes ?? defaults.idleTimeoutMinutes,
        updatedAt: doc.updatedAt, updatedBy: doc.updatedBy,
      }
      : defaults;
    return value;
  }

  async update(patch: SettingsUpdate, by: string): Promise<Settings> {
    const current = await this.get();
    const next: SettingsDoc = {
      _id: 'platform',
      allowSignups: patch.allowSignups ?? current.allowSignups,
      allowedImports: patch.allowedImports === undefined ? (current.allowedImports ? [...current.allowedImports] : null)
        : patch.allowedImports === null ? null : [...new Set(patch.allowedImports.map((i) => i.trim()).filter(Boolean))].sort(),
      limits: patch.limits ?? current.limits,
      maxAppsPerUser: patch.maxAppsPerUser ?? current.maxAppsPerUser,
      maxDatabasesPerUser: patch.maxDatabasesPerUser ?? current.maxDatabasesPerUser,
      idleTimeoutMinutes: patch.idleTimeoutMinutes ?? current.idleTimeoutMinutes,
      updatedAt: new Date(),
      updatedBy: by,
    };
    await this.settings.replaceOne({ _id: 'platform' }, next, { upsert: true });
    return this.get();
  }

  async rules(): Promise<ValidationRules> {
    const s = await this.get();
    return { allowedImports: s.allowedImports ?? defaultRules.allowedImports, allowedPackages: defaultRules.allowedPackages, limits: s.limits, allowedExtensions: defaultRules.allowedExtensions };
  }
}
