/**
 * The chosen template's code, read-only: its entry file first (the first lines, which say what the
 * app does), the other files named below. Fetched once per template; plain text, so it costs nothing
 * of Monaco on this page.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type Language, type TemplateDetail } from '../http/client';
import { errorMessage } from '../lib/errors';

/** The blank app of each language, as the API creates it when no template is given (api/services/apps.ts `blankApps`). */
const blanks: Record<Language, { entrypoint: string; files: Record<string, string> }> = {
  python: { entrypoint: 'app.py', files: { 'app.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef index():\n    return {"message": "Hello from my new app"}\n' } },
  typescript: { entrypoint: 'app.ts', files: { 'app.ts': "import { Hono } from 'hono';\n\nconst app = new Hono();\n\napp.get('/', (c) => c.json({ message: 'Hello from my new app' }));\n\nexport default app;\n" } },
};
const cache = new Map<string, Promise<TemplateDetail>>();
const maxLines = 40;

export interface Props {
  /** The template's id, or null for the blank app. */
  readonly templateId: string | null;
  /** Which blank app to show without a template. @default python */
  readonly language?: Language;
}

export function CodePreview({ templateId, language = 'python' }: Props) {
  const blank = blanks[language];
  const [project, setProject] = useState<{ entrypoint: string; files: Record<string, string> } | null>(templateId ? null : blank);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    if (!templateId) return setProject(blank);
    setProject(null);
    let current = true;
    let pending = cache.get(templateId);
    if (!pending) {
      pending = api.getTemplate({ params: { templateId } });
      cache.set(templateId, pending);
      pending.catch(() => cache.delete(templateId));
    }
    pending.then((t) => { if (current) setProject(t); }, (e: unknown) => { if (current) setError(errorMessage(e)); });
    return () => { current = false; };
  }, [templateId, blank]);
  if (error) return <p class="muted">The code cannot be shown: {error}</p>;
  if (!project) return <p class="muted" role="status">Loading the code…</p>;
  const code = project.files[project.entrypoint] ?? '';
  const lines = code.split('\n');
  const others = Object.keys(project.files).filter((p) => p !== project.entrypoint).sort();
  return (
    <figure class="code-preview" aria-label={`Code of ${project.entrypoint}`}>
      <figcaption><span class="mono">{project.entrypoint}</span>{others.length > 0 && <span class="muted"> and {others.length} more: {others.join(', ')}</span>}</figcaption>
      <pre tabIndex={0}><code>{lines.slice(0, maxLines).join('\n')}{lines.length > maxLines ? `\n… ${lines.length - maxLines} more lines` : ''}</code></pre>
    </figure>
  );
}
