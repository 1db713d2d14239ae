/**
 * The template form's pure parts: the values a person types (tags as one comma-separated line), the
 * body the API takes (lower-case tags, no duplicates), and the API's field problems placed on the
 * form's fields (a problem with `tags.2` belongs to the tags field; a taken title to the title field).
 */
import { ApiError } from '../http/client';
import type { TemplateSummary } from '../http/client';
import { formErrors, type FormErrors } from '../lib/form-errors';

export type Complexity = TemplateSummary['complexity'];

export const complexities: readonly Complexity[] = ['beginner', 'intermediate', 'advanced'];

export interface TemplateFormValues {
  readonly title: string;
  readonly description: string;
  readonly complexity: Complexity;
  readonly tags: string;
}

export interface TemplateFormBody {
  readonly title: string;
  readonly description: string;
  readonly complexity: Complexity;
  readonly tags: string[];
}

const fieldNames = ['title', 'description', 'complexity', 'tags'];

/** "API, Hello World , api" → ["api", "hello-world"]. */
export function parseTags(text: string): string[] {
  const tags = text.split(',').map((t) => t.trim().toLowerCase().replace(/\s+/g, '-')).filter(Boolean);
  return [...new Set(tags)];
}

/**
 * What saving will do to the tags as typed, when it changes them: "Bad Tag, api" → "Saved as: bad-tag,
 * api." (never silently); null when every tag is kept as typed.
 */
export function tagsNote(text: string): string | null {
  const typed = text.split(',').map((t) => t.trim()).filter(Boolean);
  const saved = parseTags(text);
  if (typed.length === saved.length && typed.every((t, i) => t === saved[i])) return null;
  return `Saved as: ${saved.join(', ')} (tags are lower-case, with dashes for spaces, each once).`;
}

export function formBody(values: TemplateFormValues): TemplateFormBody {
  return { title: values.title.trim(), description: values.description.trim(), complexity: values.complexity, tags: parseTags(values.tags) };
}

export function formValues(template: Pick<TemplateSummary, 'title' | 'description' | 'complexity' | 'tags'>): TemplateFormValues {
  return { title: template.title, description: template.description, complexity: template.complexity, tags: template.tags.join(', ') };
}

export function templateFormErrors(error: unknown): FormErrors {
  if (!(error instanceof ApiError)) return formErrors(error, fieldNames);
  if (error.status === 409) return { summary: 'Please fix the fields marked below.', fields: { title: error.message } };
  const fields = error.fields.map((f) => ({ ...f, field: f.field.replace(/\.\d+$/, '') }));
  return formErrors(new ApiError(error.message, error.status, error.code, error.details, fields), fieldNames);
}
