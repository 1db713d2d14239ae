/**
 * An app's environment variables: names validated (the platform's own names and prefixes refused),
 * values encrypted at rest and bound to app and name, never returned once stored (masked on read).
 * A replace may keep a stored value by omitting it, so the UI can edit names without seeing values.
 */
import { envNameProblem } from '../../constructs/index.js';
import type { AppDoc, EnvVarDoc } from '../db/documents.js';
import { InputError } from '../errors.js';
import { decryptValue, encryptValue } from './secrets.js';

export interface EnvVarInput {
  readonly name: string;
  /** Omitted: keep the stored value. */
  readonly value?: string | undefined;
}

export interface MaskedEnvVar {
  readonly name: string;
  readonly value: string;
  readonly updatedAt: string;
}

export const maxEnvVars = 50;
export const maxEnvValueBytes = 8 * 1024;

/** What a reader sees of stored env vars: names and when they changed, never values. */
export function maskEnv(env: readonly EnvVarDoc[]): MaskedEnvVar[] {
  return env.map((v) => ({ name: v.name, value: '••••••••', updatedAt: v.updatedAt.toISOString() }));
}

export class EnvVarService {
  constructor(private readonly key: Buffer) {}

  masked(app: AppDoc): MaskedEnvVar[] {
    return maskEnv(app.env);
  }

  /** The next env list for `app`; InputError names every bad entry. */
  build(app: Pick<AppDoc, '_id' | 'env'>, vars: readonly EnvVarInput[]): EnvVarDoc[] {
    const problems: { name: string; problem: string }[] = [];
    const seen = new Set<string>();
    if (vars.length > maxEnvVars) problems.push({ name: '(all)', problem: `at most ${maxEnvVars} variables` });
    const next: EnvVarDoc[] = [];
    for (const v of vars) {
      const problem = envNameProblem(v.name) ?? (seen.has(v.name) ? 'the name appears twice' : undefined);
      seen.add(v.name);
      if (problem) {
        problems.push({ name: v.name, problem });
        continue;
      }
      const existing = app.env.find((e) => e.name === v.name);
      if (v.value === undefined) {
        if (!existing) problems.push({ name: v.name, problem: 'give a value (there is none stored to keep)' });
        else next.push(existing);
        continue;
      }
      if (Buffer.byteLength(v.value) > maxEnvValueBytes) {
        problems.push({ name: v.name, problem: `the value is over ${maxEnvValueBytes / 1024} KB` });
        continue;
      }
      next.push({ name: v.name, value: encryptValue(this.key, v.value, `${app._id}/${v.name}`), updatedAt: new Date() });
    }
    if (problems.length > 0) {
      throw new InputError(`Some environment variables are invalid: ${problems.map((p) => `${p.name}: ${p.problem}`).join('; ')}.`, { details: { problems } });
    }
    return next;
  }

  decrypt(app: Pick<AppDoc, '_id' | 'env'>): Record<string, string> {
    return Object.fromEntries(app.env.map((v) => [v.name, decryptValue(this.key, v.value, `${app._id}/${v.name}`)]));
  }

  /** Re-encrypts another app's values for `targetId` (clone). */
  copy(source: Pick<AppDoc, '_id' | 'env'>, targetId: string): EnvVarDoc[] {
    const plain = this.decrypt(source);
    return source.env.map((v) => ({ name: v.name, value: encryptValue(this.key, plain[v.name] ?? '', `${targetId}/${v.name}`), updatedAt: new Date() }));
  }
}
