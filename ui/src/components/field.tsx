/**
 * A labelled form field with its hint and its problem, wired with aria-describedby / aria-invalid. A
 * problem takes the hint's place (the two often say the same thing: "at least 8 characters" twice).
 */
import type { TargetedEvent } from 'preact';

export interface Props {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (event: TargetedEvent<HTMLInputElement, Event>) => void;
  readonly type?: 'text' | 'email' | 'password' | 'search' | 'number';
  readonly autoComplete?: string;
  readonly placeholder?: string | undefined;
  readonly required?: boolean;
  readonly maxLength?: number;
  /** For type="number": whole numbers between these. */
  readonly min?: number;
  readonly max?: number;
  readonly hint?: string;
  readonly problem?: string | undefined;
}

export function Field({ id, label, hint, problem, value, onInput, type = 'text', autoComplete, placeholder, required, maxLength, min, max }: Props) {
  const whole = type === 'number' ? { inputMode: 'numeric' as const, min, max, step: 1 } : {};
  const shownHint = problem ? undefined : hint;
  const described = [shownHint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {/* Preact's input types are discriminated by `type`; a union of types needs the cast. */}
      <input id={id} type={type as 'text'} value={value} onInput={onInput} autoComplete={autoComplete} placeholder={placeholder} required={required} maxLength={maxLength}
        {...whole} aria-invalid={problem ? 'true' : undefined} aria-describedby={described} />
      {shownHint && <div id={`${id}-hint`} class="hint">{shownHint}</div>}
      {problem && <div id={`${id}-problem`} class="problem">{problem}</div>}
    </div>
  );
}
