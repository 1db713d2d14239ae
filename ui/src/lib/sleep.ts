/**
 * An app's sleep (GET /api/apps/:id/sleep) in words: whether it is awake, asleep or waking and since
 * when, after how long without a request it sleeps, and the idle-timeout field's value and unit
 * turned into the seconds the API takes. Pure, so it is tested on its own. The range itself (10
 * seconds to 7 days) is the API's to judge: its sentence is what the person sees.
 */
import type { ResponseOf } from '../http/client';

export type Sleep = ResponseOf<'getSleep'>;

export const units = [
  { id: 'seconds', label: 'seconds', seconds: 1 },
  { id: 'minutes', label: 'minutes', seconds: 60 },
  { id: 'hours', label: 'hours', seconds: 3600 },
  { id: 'days', label: 'days', seconds: 86_400 },
] as const;
export type Unit = (typeof units)[number]['id'];

/** "15 minutes", "90 seconds", "1 day 2 hours": a duration as a person says it. */
export function duration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const unit of [...units].reverse()) {
    const n = Math.floor(rest / unit.seconds);
    if (n === 0) continue;
    parts.push(`${n} ${n === 1 ? unit.label.slice(0, -1) : unit.label}`);
    rest -= n * unit.seconds;
    if (parts.length === 2) break;
  }
  return parts.join(' ') || '0 seconds';
}

/** The largest unit the value is a whole number of, for showing a saved timeout in the field. */
export function fieldOf(seconds: number): { value: string; unit: Unit } {
  const unit = [...units].reverse().find((u) => seconds % u.seconds === 0) ?? units[0];
  return { value: String(seconds / unit.seconds), unit: unit.id };
}

/** The field's text and unit as whole seconds, or the sentence saying what to type instead. */
export function secondsOf(value: string, unit: Unit): { seconds: number } | { problem: string } {
  const text = value.trim().replace(',', '.');
  if (text === '') return { problem: 'Enter how long an app may go without a request, or use the platform\'s default.' };
  const n = Number(text);
  if (!Number.isFinite(n) || !/^-?\d*\.?\d+$/.test(text)) return { problem: `"${value.trim()}" is not a number.` };
  const seconds = n * (units.find((u) => u.id === unit)?.seconds ?? 1);
  if (!Number.isInteger(Math.round(seconds * 1000) / 1000)) return { problem: `That is ${seconds.toFixed(1)} seconds; use whole seconds.` };
  return { seconds: Math.round(seconds) };
}

export type StateTone = 'running' | 'deploying' | 'draft';

/** The badge and the sentence of the app's sleep state. */
export function sleepState(sleep: Pick<Sleep, 'state' | 'alwaysOn'>): { text: string; tone: StateTone; sentence: string } {
  if (sleep.state === 'sleeping') return { text: 'Asleep', tone: 'draft', sentence: 'Asleep: nothing runs until the next request, which wakes it.' };
  if (sleep.state === 'waking') return { text: 'Waking', tone: 'deploying', sentence: 'Waking up: requests wait until it answers.' };
  return { text: sleep.alwaysOn ? 'Always on' : 'Awake', tone: 'running', sentence: sleep.alwaysOn ? 'Awake, and never sleeps (an admin made it always on).' : 'Awake.' };
}

/** When it sleeps, in one sentence. */
export function sleepRule(sleep: Sleep): string {
  if (sleep.alwaysOn || sleep.effectiveIdleTimeoutSeconds === null) return 'Never: an admin made this app always on.';
  const after = duration(sleep.effectiveIdleTimeoutSeconds);
  return `After ${after} without a request${sleep.idleTimeoutSeconds === null ? ' (the platform\'s default)' : ' (this app\'s own setting)'}.`;
}
