/** The fields of a template form (save as template, edit a template), each with its problem from the API. */
import { Field } from '../components/field';
import type { FormErrors } from '../lib/form-errors';
import { complexities, tagsNote, type Complexity, type TemplateFormValues } from './template-form';

export interface Props {
  /** Prefix of the fields' ids, unique on the page. */
  readonly id: string;
  readonly values: TemplateFormValues;
  readonly errors: FormErrors;
  readonly onChange: (values: TemplateFormValues) => void;
}

export function TemplateFields({ id, values, errors, onChange }: Props) {
  const set = (patch: Partial<TemplateFormValues>) => onChange({ ...values, ...patch });
  const problem = (field: string) => errors.fields[field];
  const description = problem('description');
  const complexity = problem('complexity');
  return (
    <>
      <Field id={`${id}-title`} label="Title" value={values.title} problem={problem('title')} maxLength={80}
        hint="3 to 80 characters, different from your other templates' titles." onInput={(e) => set({ title: e.currentTarget.value })} />
      <div class="field">
        <label for={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} rows={3} maxLength={400} value={values.description} aria-invalid={description ? 'true' : undefined}
          aria-describedby={description ? `${id}-description-problem` : undefined} onInput={(e) => set({ description: e.currentTarget.value })} />
        {description && <div id={`${id}-description-problem`} class="problem">{description}</div>}
      </div>
      <div class="field">
        <label for={`${id}-complexity`}>Complexity</label>
        <select id={`${id}-complexity`} value={values.complexity} aria-invalid={complexity ? 'true' : undefined}
          aria-describedby={complexity ? `${id}-complexity-problem` : undefined} onChange={(e) => set({ complexity: e.currentTarget.value as Complexity })}>
          {complexities.map((c) => <option key={c} value={c}>{c.charAt(0).toUpperCase() + c.slice(1)}</option>)}
        </select>
        {complexity && <div id={`${id}-complexity-problem`} class="problem">{complexity}</div>}
      </div>
      <Field id={`${id}-tags`} label="Tags" value={values.tags} problem={problem('tags')} placeholder="api, beginner-friendly"
        hint={tagsNote(values.tags) ?? 'Separated by commas; lower-case letters, digits and dashes.'} onInput={(e) => set({ tags: e.currentTarget.value })} />
    </>
  );
}
