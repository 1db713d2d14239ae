/**
 * What an app serves and what failed, kept apart: after a failed rollout the version before it still
 * serves, and every screen (the editor's header, the apps list, the dashboard, History) says both
 * ("Serving v2 · v3 failed") instead of calling the app failed. Pure, so it is tested on its own.
 */
import type { AppStatus } from '../http/client';

export type Tone = 'running' | 'deploying' | 'failed' | 'draft';

export interface StatusPart {
  readonly tone: Tone;
  readonly text: string;
}

export interface AppState {
  /** The version that answers requests now, or null when nothing does. */
  readonly serving: number | null;
  /** The version whose rollout failed (and is not serving), or null. */
  readonly failed: number | null;
  /** The version being rolled out, or null. */
  readonly rollingOut: number | null;
  /** One or two badges: what serves, then what is happening or failed. */
  readonly parts: readonly StatusPart[];
  /** The same as one sentence, for a header line or a screen reader. */
  readonly sentence: string;
}

export function appState(status: Pick<AppStatus, 'phase' | 'version' | 'servingVersion'>): AppState {
  const { phase, version } = status;
  const serving = phase === 'running' ? (status.servingVersion ?? version) : (status.servingVersion ?? null);
  if (phase === 'draft') return { serving: null, failed: null, rollingOut: null, parts: [{ tone: 'draft', text: 'Not deployed' }], sentence: 'Not deployed yet.' };
  if (phase === 'running') {
    return { serving, failed: null, rollingOut: null, parts: [{ tone: 'running', text: `Running · v${serving ?? '?'}` }], sentence: `Version ${serving ?? '?'} is live.` };
  }
  const servingPart: StatusPart[] = serving !== null && serving !== version ? [{ tone: 'running', text: `Serving v${serving}` }] : [];
  if (phase === 'deploying') {
    return {
      serving, failed: null, rollingOut: version,
      parts: [...servingPart, { tone: 'deploying', text: `Deploying v${version ?? '?'}` }],
      sentence: serving !== null && serving !== version ? `Version ${version} is rolling out; version ${serving} serves meanwhile.` : `Version ${version} is rolling out.`,
    };
  }
  return {
    serving: serving !== version ? serving : null, failed: version, rollingOut: null,
    parts: [...servingPart, { tone: 'failed', text: `v${version ?? '?'} failed` }],
    sentence: serving !== null && serving !== version
      ? `Version ${version} failed to start; version ${serving} still serves.`
      : `Version ${version} failed to start; nothing serves.`,
  };
}
