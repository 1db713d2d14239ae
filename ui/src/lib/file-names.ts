/**
 * Whether a new file name can be used, as a sentence (null when it can). The path rules and the allowed
 * extensions are the validator's own (validation/index.ts, its browser-safe core), so the editor refuses
 * exactly what the platform refuses; the UI adds only an empty name and duplicates, also by case.
 */
import { defaultAllowedExtensions, extensionOf, pathProblem } from '../../../validation/index.js';

export function fileNameProblem(path: string, existing: readonly string[]): string | null {
  if (!path.trim()) return 'Give the file a name, such as helpers.py or static/site.css.';
  const problem = pathProblem(path);
  if (problem) return problem.message;
  if (!defaultAllowedExtensions.includes(extensionOf(path))) return `Use one of these extensions: ${defaultAllowedExtensions.join(' ')}.`;
  if (existing.some((p) => p.toLowerCase() === path.toLowerCase())) return `There is already a file named ${path}.`;
  return null;
}
