/**
 * The templates to start a new app from: filters, the blank app and the templates they match, an
 * empty state when nothing matches, and the edit dialog for your own templates.
 */
import { useState } from 'preact/hooks';
import type { Language, TemplateSummary } from '../http/client';
import { fileCount, frameworkLabel } from '../lib/format';
import { blankChoice, type TemplatesStore } from '../stores/templates';
import { EditTemplateDialog } from './edit-template-dialog';
import { TemplateCard } from './template-card';
import { TemplateFilters } from './template-filters';

export interface Props {
  readonly store: TemplatesStore;
  /** Only templates of this language, and a blank app of it. @default python */
  readonly language?: Language;
}

const blanks: Record<Language, { title: string; description: string; meta: string }> = {
  python: { title: 'Blank FastAPI app', description: 'One app.py with a single route.', meta: 'FastAPI · beginner' },
  typescript: { title: 'Blank Hono app', description: 'One app.ts with a single route, in TypeScript.', meta: 'Hono · beginner' },
};

function meta(t: TemplateSummary): string {
  const files = t.fileCount ? ` · ${fileCount(t.fileCount)}` : '';
  return `${frameworkLabel(t.framework)} · ${t.complexity}${t.scope === 'mine' ? ' · yours' : ''}${files}`;
}

export function TemplateGallery({ store, language = 'python' }: Props) {
  const [editing, setEditing] = useState<TemplateSummary | null>(null);
  const templates = store.templates.value.filter((t) => (t.language ?? 'python') === language);
  const blank = blanks[language];
  // The blank app is a beginner's app of nobody's in the chosen language: it shows only while the filters allow it.
  const blankFramework = language === 'typescript' ? 'hono' : 'fastapi';
  const blankShown = store.scope.value === 'all' && ['', blankFramework].includes(store.framework.value) && ['', 'beginner'].includes(store.complexity.value);
  const empty = store.loaded.value && !store.error.value && templates.length === 0 && !blankShown;
  return (
    <section class="template-gallery" aria-labelledby="template-heading">
      <h2 id="template-heading">Start from</h2>
      <TemplateFilters store={store} />
      {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
      {empty && (
        <div class="card empty" role="status">
          <p>{store.filtered.value || store.showHidden.value ? 'No template matches these filters.' : 'No templates yet.'}</p>
          {store.scope.value === 'mine' && <p class="muted">Save one of your apps as a template from its editor: “Save as template”.</p>}
        </div>
      )}
      <ul class="template-grid" aria-label="Templates" aria-busy={store.loading.value}>
        {blankShown && (
          <TemplateCard id={blankChoice} title={blank.title} description={blank.description} meta={blank.meta}
            chosen={store.choice.value === blankChoice} onChoose={() => store.choose(blankChoice)} />
        )}
        {templates.map((t) => (
          <TemplateCard key={t.id} id={t.id} title={t.title} description={t.description} meta={meta(t)} tags={t.tags} template={t}
            chosen={store.choice.value === t.id} onChoose={() => store.choose(t.id)}
            onHide={() => void store.hide(t)} onUnhide={() => void store.unhide(t)} onEdit={() => setEditing(t)} onDelete={() => store.remove(t)} />
        ))}
      </ul>
      {editing && <EditTemplateDialog template={editing} onSave={(body) => store.update(editing, body)} onClose={() => setEditing(null)} />}
    </section>
  );
}
