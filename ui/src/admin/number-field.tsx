/** A labelled whole-number input with its hint and its problem (the shared Field takes text types only). */
export interface Props {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly min: number;
  readonly max: number;
  readonly hint?: string;
  readonly problem?: string | undefined;
}

export function NumberField({ id, label, value, onInput, min, max, hint, problem }: Props) {
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="number" inputMode="numeric" min={min} max={max} step={1} value={value} onInput={(e) => onInput(e.currentTarget.value)}
        aria-invalid={problem ? 'true' : undefined} aria-describedby={described} />
      {hint && <div id={`${id}-hint`} class="hint">{hint}</div>}
      {problem && <div id={`${id}-problem`} class="problem">{problem}</div>}
    </div>
  );
}
