/**
 * An app's status as worded, coloured badges (never colour alone): what serves and, separately, what
 * is rolling out or failed (`lib/app-state.ts`), so "Serving v2 · v3 failed" never reads as "down";
 * and "Asleep" when an idle app sleeps until its next request.
 */
import type { AppStatus } from '../http/client';
import { appState } from '../lib/app-state';

export interface Props {
  readonly status: Pick<AppStatus, 'phase' | 'version' | 'servingVersion'>;
  /** Idle and asleep: nothing runs until the next request wakes it. */
  readonly sleeping?: boolean | undefined;
}

export function StatusBadge({ status, sleeping = false }: Props) {
  const state = appState(status);
  const asleep = sleeping && state.serving !== null;
  return (
    <span class="badges" data-testid="status" data-phase={status.phase} data-sleeping={asleep ? 'true' : undefined}
      title={asleep ? `${state.sentence} Asleep: the next request wakes it.` : state.sentence}>
      {state.parts.map((part) => <span key={part.text} class={`badge ${part.tone}`}>{part.text}</span>)}
      {asleep && <span class="badge draft">Asleep</span>}
    </span>
  );
}
