/**
 * Project-level checks that need no parser: file count and sizes, safe relative paths, hidden files,
 * duplicates that differ only by case, allowed extensions, text encoding, and the entrypoint (of the
 * app's language). Returns the findings and the code files of that language fit to analyse (decoded,
 * within limits, safe paths): .py files for Python apps; .ts, .tsx, .mts, .jsx, .js and .mjs files for
 * TypeScript apps.
 */
import { finding, type Finding } from './findings.js';
import type { ValidationRules } from './rules.js';
import { scriptExtensions } from './typescript/modules.js';

export type FileContent = string | Uint8Array;

export const languages = ['python', 'typescript'] as const;
export type Language = (typeof languages)[number];

export interface ProjectInput {
  /** Relative path → content (text, or raw bytes as read from disk). */
  readonly files: Readonly<Record<string, FileContent>>;
  readonly entrypoint: string;
  /** The app's language. @default the entrypoint's (a .ts, .tsx, .mts, .jsx, .js or .mjs file: typescript), else python */
  readonly language?: Language | undefined;
}

/** The language of an app whose language was not given: its entrypoint's. */
export function languageOf(input: Pick<ProjectInput, 'entrypoint' | 'language'>): Language {
  if (input.language) return input.language;
  return (scriptExtensions as readonly string[]).includes(extensionOf(input.entrypoint)) ? 'typescript' : 'python';
}

export interface PreparedFile {
  readonly path: string;
  readonly text: string;
  readonly entry: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
const hostileCharacter = /[\\<>:"|?*]/;
/** Bidirectional overrides and isolates, and characters that print as nothing: a name could then read
 * as another ("app\u202Eyp.txt" shows as "apptxt.py"). */
const invisibleCharacter = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u00ad\u180e\ufeff]/;
const loneSurrogate = /[\uD800-\uDFFF]/u;

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** Why `path` is not a safe relative project path, or undefined when it is. */
export function pathProblem(path: string): { code: 'path-invalid' | 'path-hidden'; message: string } | undefined {
  if (path.length === 0) return { code: 'path-invalid', message: 'A file has an empty name; give it a name.' };
  if (path.length > 200) return { code: 'path-invalid', message: `The path is ${path.length} characters long; keep it under 200.` };
  if (path.startsWith('/')) return { code: 'path-invalid', message: `"${path}" is an absolute path; use a path relative to the project, e.g. "${path.replace(/^\/+/, '')}".` };
  if (controlCharacter.test(path)) return { code: 'path-invalid', message: 'The path contains a control character; rename the file.' };
  if (invisibleCharacter.test(path)) {
    const at = invisibleCharacter.exec(path)?.[0] ?? '';
    const code = `U+${at.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
    return { code: 'path-invalid', message: `The path contains an invisible or text-direction character (${code}), so it would not read as it is; rename the file.` };
  }
  if (hostileCharacter.test(path)) return { code: 'path-invalid', message: `"${path}" contains one of \\ < > : " | ? *; use letters, digits, "-", "_", "." and "/".` };
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return { code: 'path-invalid', message: `"${path}" climbs out of the project with ".."; keep every file inside it.` };
  if (segments.some((s) => s === '' || s === '.' || s !== s.trim())) {
    return { code: 'path-invalid', message: `"${path}" has an empty, "." or space-padded folder or file name; remove it.` };
  }
  if (segments.some((s) => s.startsWith('.'))) return { code: 'path-hidden', message: `"${path}" is hidden (a name starts with "."); hidden files are not deployed, rename it.` };
  return undefined;
}

function invalidByteLine(bytes: Uint8Array): number {
  // The line of the first byte that does not decode, for the marker.
  let valid = 0;
  for (let end = 1; end <= bytes.length; end++) {
    try {
      decoder.decode(bytes.subarray(0, end));
      valid = end;
    } catch {
      if (end - valid > 4) break;
    }
  }
  let line = 1;
  for (let i = 0; i < valid; i++) if (bytes[i] === 0x0a) line += 1;
  return line;
}

function decode(path: string, content: FileContent): { text?: string; problem?: Finding } {
  if (typeof content === 'string') {
    // With the u flag, only unpaired surrogates match: a well-formed string never does.
    return !loneSurrogate.test(content)
      ? { text: content }
      : { problem: finding(path, 'invalid-encoding', 'The file contains text that is not valid Unicode (a lone surrogate); save it as UTF-8.') };
  }
  try {
    return { text: decoder.decode(content) };
  } catch {
    return { problem: finding(path, 'invalid-encoding', 'The file is not valid UTF-8 text; save it as UTF-8.', { line: invalidByteLine(content) }) };
  }
}

const codeExtensions: Readonly<Record<Language, readonly string[]>> = { python: ['.py'], typescript: scriptExtensions };

export function checkProject(input: ProjectInput, rules: ValidationRules): { findings: Finding[]; files: PreparedFile[]; language: Language } {
  const { limits } = rules;
  const language = languageOf(input);
  const findings: Finding[] = [];
  const files: PreparedFile[] = [];
  const entry = input.entrypoint;
  const paths = Object.keys(input.files);
  if (paths.length === 0) {
    return { findings: [finding(entry, 'project-empty', `The project has no files; add ${entry}.`)], files, language };
  }
  if (paths.length > limits.maxFiles) {
    findings.push(finding(entry, 'too-many-files', `The project has ${paths.length} files; the limit is ${limits.maxFiles}. Merge or remove ${paths.length - limits.maxFiles}.`));
  }
  if (!(entry in input.files)) {
    findings.push(finding(entry, 'entrypoint-missing', `The entrypoint ${entry} is not in the project; add it or choose another entrypoint.`));
  } else if (language === 'python' && extensionOf(entry) !== '.py') {
    findings.push(finding(entry, 'entrypoint-not-python', `The entrypoint must be a Python file; ${entry} is not a .py file.`));
  } else if (language === 'typescript' && !codeExtensions.typescript.includes(extensionOf(entry))) {
    findings.push(finding(entry, 'entrypoint-not-typescript', `The entrypoint of a TypeScript app must be a ${codeExtensions.typescript.join(', ')} file; ${entry} is not.`));
  }
  const seen = new Map<string, string>();
  let total = 0;
  for (const path of paths) {
    const content = input.files[path] ?? '';
    const bytes = typeof content === 'string' ? encoder.encode(content).length : content.length;
    total += bytes;
    const problem = pathProblem(path);
    if (problem) {
      findings.push(finding(path, problem.code, problem.message));
      continue;
    }
    const folded = path.toLowerCase();
    const clash = seen.get(folded);
    if (clash !== undefined) {
      findings.push(finding(path, 'path-duplicate', `"${path}" and "${clash}" differ only in letter case, which breaks on case-insensitive disks; rename one.`));
      continue;
    }
    seen.set(folded, path);
    const extension = extensionOf(path);
    if (!rules.allowedExtensions.includes(extension)) {
      findings.push(finding(path, 'extension-not-allowed',
        `Files of type ${extension || '(no extension)'} are not deployed; allowed: ${rules.allowedExtensions.join(' ')}.`));
      continue;
    }
    if (bytes > limits.maxFileBytes) {
      findings.push(finding(path, 'file-too-large', `The file is ${Math.ceil(bytes / 1024)} KB; the limit is ${Math.floor(limits.maxFileBytes / 1024)} KB per file. Split it into modules.`));
      continue;
    }
    const decoded = decode(path, content);
    if (decoded.problem) {
      findings.push(decoded.problem);
      continue;
    }
    if (codeExtensions[language].includes(extension)) files.push({ path, text: decoded.text ?? '', entry: path === entry });
  }
  if (total > limits.maxTotalBytes) {
    findings.push(finding(entry, 'project-too-large', `The project is ${Math.ceil(total / 1024)} KB; the limit is ${Math.floor(limits.maxTotalBytes / 1024)} KB in total. Remove unused files.`));
  }
  return { findings, files, language };
}
