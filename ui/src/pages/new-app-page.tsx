/**
 * A new app: a name and a template (or a blank FastAPI app), then "Create and deploy" or "Create".
 * One Idempotency-Key per choice, and the buttons are disabled while a request runs: a double click
 * (or a retried request) makes one app, never two.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, post } from '../http/client';
import type { AppDetail, TemplateSummary } from '../http/types';
import { Field } from '../components/field';
import { Shell } from '../components/shell';
import { formErrors, type FormErrors } from '../lib/form-errors';
import { navigate } from '../lib/router';

const blank = 'blank';

function newKey(): string {
  return crypto.randomUUID();
}

export function NewAppPage() {
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choice, setChoice] = useState<string>(blank);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ summary: null, fields: {} });
  // A new key whenever what would be created changes; the same key for every click on the same thing.
  const key = useMemo(newKey, [choice, name]);
  useEffect(() => {
    get<{ templates: TemplateSummary[] }>('/api/templates').then((r) => setTemplates(r.templates), (e: Error) => setLoadError(e.message));
  }, []);
  const chosen = templates?.find((t) => t.id === choice);
  const create = async (deploy: boolean) => {
    if (busy) return;
    setBusy(true);
    try {
      const body = { name: name.trim() || chosen?.title || 'My app', deploy, ...(chosen ? { templateId: chosen.id } : {}) };
      const app = await post<AppDetail>('/api/apps', body, { 'idempotency-key': key });
      navigate(`/apps/${app.id}${deploy ? '?deploying=1' : ''}`);
    } catch (error) {
      setErrors(formErrors(error, ['name']));
      setBusy(false);
    }
  };
  const card = (id: string, title: string, description: string, meta: string, tags: readonly string[] = []) => (
    <li key={id}>
      <button type="button" class="card template" aria-pressed={choice === id} onClick={() => setChoice(id)}>
        <strong>{title}</strong>
        <span class="muted">{meta}</span>
        <span>{description}</span>
        {tags.length > 0 && <span class="tags">{tags.slice(0, 4).map((tag) => <span key={tag} class="tag">{tag}</span>)}</span>}
      </button>
    </li>
  );
  return (
    <Shell>
      <h1>New app</h1>
      <form onSubmit={(e) => { e.preventDefault(); void create(true); }}>
        {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
        <Field id="app-name" label="Name" placeholder={chosen?.title ?? 'My app'} value={name} problem={errors.fields.name} onInput={(e) => setName(e.currentTarget.value)} maxLength={80} />
        <h2 id="template-heading">Start from</h2>
        {loadError && <div class="alert" role="alert">{loadError}</div>}
        <ul class="template-grid" aria-labelledby="template-heading">
          {card(blank, 'Blank FastAPI app', 'One app.py with a single route.', 'FastAPI · beginner')}
          {(templates ?? []).map((t) => card(t.id, t.title, t.description, `${t.framework === 'fasthtml' ? 'FastHTML' : 'FastAPI'} · ${t.complexity}${t.scope === 'mine' ? ' · yours' : ''}`, t.tags))}
        </ul>
        <div class="row">
          <button class="primary" type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create and deploy'}</button>
          <button type="button" disabled={busy} onClick={() => void create(false)}>Create without deploying</button>
        </div>
      </form>
    </Shell>
  );
}
