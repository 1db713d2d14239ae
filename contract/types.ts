/**
 * The API's shapes as TypeScript types, inferred from the schemas (never retyped). Type-only: importing
 * this module costs a bundle nothing.
 */
import type { z } from 'zod';
import type * as s from './schemas/index.js';

export type User = z.output<typeof s.userSchema>;
export type Session = z.output<typeof s.sessionSchema>;
export type ApiToken = z.output<typeof s.apiTokenSchema>;
export type CreatedToken = z.output<typeof s.createdTokenSchema>;
export type DeviceLogin = z.output<typeof s.deviceLoginSchema>;
export type DeviceLoginStart = z.output<typeof s.deviceStartResponse>;
export type DeviceLoginPoll = z.output<typeof s.devicePollResponse>;

export type AppStatus = z.output<typeof s.appStatus>;
export type DeployPhase = AppStatus['phase'];
export type AppSummary = z.output<typeof s.appSummary>;
export type Framework = AppSummary['framework'];
/** Which runner runs an app: fixed at creation. */
export type Language = AppSummary['language'];
export type AppDetail = z.output<typeof s.appDetail>;
export type EnvVar = z.output<typeof s.maskedEnvVar>;
export type EnvVarInput = z.input<typeof s.envVarInput>;
export type Draft = z.output<typeof s.draftSchema>;
export type SavedDraft = z.output<typeof s.savedDraft>;
export type DeployResult = z.output<typeof s.deployResponse>;
export type VersionSummary = z.output<typeof s.versionSummary>;
export type VersionDetail = z.output<typeof s.versionDetail>;
export type Finding = z.output<typeof s.findingSchema>;
export type ValidationResult = z.output<typeof s.validateResponse>;

export type RuntimeStatus = z.output<typeof s.runtimeStatus>;
export type ProgressEvent = z.output<typeof s.progressEvent>;
export type RuntimeEvent = z.output<typeof s.runtimeEvent>;
export type LogLine = z.output<typeof s.logLine>;
export type RequestRecord = z.output<typeof s.requestLog>;
export type TestResponse = z.output<typeof s.testResponse>;
export type Manifests = z.output<typeof s.manifestsResponse>;

export type TemplateSummary = z.output<typeof s.templateSummary>;
export type TemplateDetail = z.output<typeof s.templateDetail>;
export type AdminTemplate = z.output<typeof s.adminTemplate>;
export type AdminSettings = z.output<typeof s.settingsSchema>;
export type Limits = AdminSettings['limits'];
export type AdminUser = z.output<typeof s.adminUser>;
export type AdminStats = z.output<typeof s.statsSchema>;
export type DatabaseInfo = z.output<typeof s.databaseSchema>;
export type DatabaseBinding = z.output<typeof s.databaseBinding>;
export type DatabaseCredentials = z.output<typeof s.credentialsSchema>;
export type CollectionInfo = z.output<typeof s.collectionSchema>;
export type DocumentPage = z.output<typeof s.pageSchema>;
export type ErrorBody = z.output<typeof s.errorSchema>;
