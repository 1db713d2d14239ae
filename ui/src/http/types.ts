/** The API's response shapes the UI reads (see /api/openapi.json; the UI reaches the API over HTTP only). */
export type DeployPhase = 'draft' | 'deploying' | 'running' | 'failed';
export type Framework = 'fastapi' | 'fasthtml' | 'starlette' | 'hono' | null;
/** Which runner runs an app: fixed at creation. */
export type Language = 'python' | 'typescript';

export interface User {
  id: string;
  username: string;
  email: string;
  isAdmin: boolean;
}

export interface AppStatus {
  phase: DeployPhase;
  version: number | null;
  message: string | null;
  file: string | null;
  line: number | null;
  updatedAt: string;
}

export interface AppSummary {
  id: string;
  name: string;
  description: string;
  language: Language;
  framework: Framework;
  url: string;
  status: AppStatus;
  draftRevision: number;
  latestVersion: number;
  hasUnpublishedChanges: boolean;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
}

export interface EnvVar {
  name: string;
  value: string;
  updatedAt: string;
}

export interface AppDetail extends AppSummary {
  draft: { revision: number; entrypoint: string; files: Record<string, string>; updatedAt: string };
  env: EnvVar[];
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  findings: Finding[];
  framework: Framework;
}

export interface SavedDraft {
  revision: number;
  updatedAt: string;
  findings: Finding[];
  valid: boolean;
}

export interface DeployResult {
  changed: boolean;
  version: number;
  status: AppStatus;
}

export type ProgressPhase = 'validating' | 'applying' | 'scheduled' | 'pulling' | 'starting' | 'ready' | 'failed';

export interface ProgressEvent {
  phase: ProgressPhase;
  version: number;
  at: string;
  message: string;
  failure?: { reason: string; message: string; file: string | null; line: number | null };
}

export interface TemplateSummary {
  id: string;
  title: string;
  description: string;
  language: Language;
  framework: Framework;
  complexity: 'beginner' | 'intermediate' | 'advanced';
  tags: string[];
  database: boolean;
  scope: 'global' | 'mine';
  hidden: boolean;
  fileCount: number;
  updatedAt: string;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  latencyMs: number;
}

export interface LogLine {
  cursor: string;
  at: string;
  stream: 'stdout' | 'stderr';
  text: string;
  version: number | null;
}

export interface VersionSummary {
  number: number;
  contentHash: string;
  createdAt: string;
  source: 'deploy' | 'rollback';
  rolledBackFrom: number | null;
  entrypoint: string;
  paths: string[];
  deployed: boolean;
}

export interface VersionDetail extends VersionSummary {
  files: Record<string, string>;
}

export interface RuntimeStatus {
  phase: 'absent' | 'deploying' | 'ready' | 'failed';
  servingVersion: number | null;
  targetVersion: number | null;
  url: string;
  message: string | null;
}

export interface RuntimeEvent {
  at: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  object: string | null;
}

export interface RequestRecord {
  id: string;
  at: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  coldStart: boolean;
  error: { type: string; message: string; traceback: string; file: string | null; line: number | null } | null;
}

export interface Manifests {
  version: number | null;
  objects: Record<string, unknown>[];
}

export interface Limits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

export interface AdminSettings {
  allowSignups: boolean;
  /** null: the validator's defaults. */
  allowedImports: string[] | null;
  defaultAllowedImports: string[];
  limits: Limits;
  maxAppsPerUser: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface AdminUser extends User {
  apps: number;
  runningApps: number;
}

export interface AdminTemplate extends TemplateSummary {
  /** The built-in's name when it came with the platform. */
  builtin: string | null;
  /** Hidden for everyone by an admin. */
  adminHidden: boolean;
  editedByAdmin: boolean;
  /** null: a global template. */
  ownerId: string | null;
}

export interface AdminStats {
  users: number;
  admins: number;
  signupsLast7Days: number;
  apps: { total: number; draft: number; deploying: number; running: number; failed: number };
  templates: { global: number; user: number };
  requestsLast24Hours: number;
  generatedAt: string;
}
