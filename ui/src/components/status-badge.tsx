/**
 * An app's status as worded, coloured badges (never colour alone): what serves and, separately, what
 * is rolling out or failed (`lib/app-state.ts`), so "Serving v2 · v3 failed" never reads as "down".
 */
import type { AppStatus } from '../http/client';
import { appState } from '../lib/app-state';

export interface Props {
  readonly status: Pick<AppStatus, 'phase' | 'version' | 'servingVersion'>;
}

export function StatusBadge({ status }: Props) {
  const state = appState(status);
  return (
    <span class="badges" data-testid="status" data-phase={status.phase} title={state.sentence}>
      {state.parts.map((part) => <span key={part.text} class={`badge ${part.tone}`}>{part.text}</span>)}
    </span>
  );
}
