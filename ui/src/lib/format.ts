/** Formatting shared by the screens: relative times, sizes, status words. */
import type { DeployPhase, Framework, Language } from '../http/client';

export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

export const phaseLabel: Record<DeployPhase, string> = { draft: 'Not deployed', deploying: 'Deploying', running: 'Running', failed: 'Failed' };

export const frameworkLabel = (framework: Framework) => (framework === 'fasthtml' ? 'FastHTML' : framework === 'starlette' ? 'Starlette' : framework === 'hono' ? 'Hono' : 'FastAPI');

export const languageLabel = (language: Language) => (language === 'typescript' ? 'TypeScript' : 'Python');

export const fileCount = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;

export function where(file: string | null, line: number | null): string {
  return file ? `${file}${line ? `:${line}` : ''}` : '';
}
