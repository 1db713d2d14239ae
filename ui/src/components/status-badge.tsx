/** An app's recorded phase as a coloured, worded badge (never colour alone). */
import type { DeployPhase } from '../http/client';
import { phaseLabel } from '../lib/format';

export interface Props {
  readonly phase: DeployPhase;
  readonly version?: number | null;
}

export function StatusBadge({ phase, version }: Props) {
  const label = phase === 'running' && version ? `${phaseLabel.running} · v${version}` : phaseLabel[phase];
  return <span class={`badge ${phase}`} data-phase={phase}>{label}</span>;
}
