/** Splits an API failure into per-field problems and one summary sentence for a form. */
import { ApiError } from '../http/client';

export interface FormErrors {
  readonly summary: string | null;
  readonly fields: Readonly<Record<string, string>>;
}

export const noErrors: FormErrors = { summary: null, fields: {} };

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function formErrors(error: unknown, known: readonly string[]): FormErrors {
  if (!(error instanceof ApiError)) return { summary: 'Something went wrong in the browser; reload the page and try again.', fields: {} };
  const fields: Record<string, string> = {};
  for (const problem of error.fields) {
    if (known.includes(problem.field) && !fields[problem.field]) fields[problem.field] = `${capitalized(problem.message)}.`;
  }
  const unplaced = error.fields.filter((p) => !known.includes(p.field));
  const summary = Object.keys(fields).length > 0 && unplaced.length === 0 ? 'Please fix the fields marked below.' : error.message;
  return { summary, fields };
}
