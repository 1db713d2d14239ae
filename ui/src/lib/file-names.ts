/**
 * Whether a new file name can be used, as a sentence (null when it can): the platform's path rules
 * (validation/project.ts's pathProblem: relative, no "..", no hidden files, no \ < > : " | ? *, under 200
 * characters; allowed extensions) and no duplicate, also by case.
 */
import { allowedExtensions } from './languages';

export function fileNameProblem(path: string, existing: readonly string[]): string | null {
  if (!path.trim()) return 'Give the file a name, such as helpers.py or static/site.css.';
  if (path !== path.trim()) return 'File names cannot start or end with spaces.';
  if (path.startsWith('/') || path.includes('\\')) return 'Use a relative path with "/" between folders, such as static/site.css.';
  if (path.length > 200) return `Keep the path under 200 characters (this one has ${path.length}).`;
  if (/[<>:"|?*]/.test(path)) return 'File names cannot contain < > : " | ? or *.';
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'Folders cannot be empty, "." or "..".';
  if (segments.some((s) => s.startsWith('.'))) return 'Hidden files (starting with ".") are not allowed.';
  if ([...path].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)) return 'File names cannot contain control characters.';
  const extension = `.${path.split('.').pop()?.toLowerCase() ?? ''}`;
  if (!path.includes('.') || !allowedExtensions.includes(extension)) return `Use one of these extensions: ${allowedExtensions.join(' ')}.`;
  if (existing.some((p) => p.toLowerCase() === path.toLowerCase())) return `There is already a file named ${path}.`;
  return null;
}
