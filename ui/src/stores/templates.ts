/**
 * The templates gallery: the filters (whose, framework, complexity, and whether hidden ones show),
 * the templates they match (listed by the API), the one chosen to start from, and the actions on a
 * template: hide and unhide (per person, reversible), edit and delete (your own only).
 */
import { computed, signal } from '@preact/signals';
import { api, type TemplateSummary } from '../http/client';
import type { TemplateFormBody } from '../templates/template-form';
import type { ToastStore } from './toasts';
import { errorMessage } from '../lib/errors';

/** A template as the gallery lists it. */
export type Scope = 'all' | 'mine' | 'global';
export type FrameworkFilter = '' | 'fastapi' | 'fasthtml' | 'hono';
export type ComplexityFilter = '' | TemplateSummary['complexity'];

/** The blank app: one app.py, made by the API when no template is given. */
export const blankChoice = 'blank';

export function createTemplatesStore(toasts: ToastStore) {
  const templates = signal<TemplateSummary[]>([]);
  const loading = signal(false);
  const loaded = signal(false);
  const error = signal<string | null>(null);
  const scope = signal<Scope>('all');
  const framework = signal<FrameworkFilter>('');
  const complexity = signal<ComplexityFilter>('');
  const showHidden = signal(false);
  /** The template to start from (or the blank app); kept when filters leave it out of the list. */
  const chosen = signal<TemplateSummary | null>(null);
  const choice = computed(() => chosen.value?.id ?? blankChoice);
  const filtered = computed(() => scope.value !== 'all' || framework.value !== '' || complexity.value !== '');
  let sequence = 0;

  async function load(): Promise<void> {
    const mine = ++sequence;
    loading.value = true;
    const query = {
      scope: scope.value, includeHidden: String(showHidden.value) as 'true' | 'false',
      ...(framework.value ? { framework: framework.value } : {}), ...(complexity.value ? { complexity: complexity.value } : {}),
    };
    try {
      const result = await api.listTemplates({ query });
      if (mine !== sequence) return;
      templates.value = result.templates;
      error.value = null;
      const current = chosen.value && result.templates.find((t) => t.id === chosen.value?.id);
      if (current) chosen.value = current;
    } catch (e) {
      if (mine === sequence) error.value = errorMessage(e);
    } finally {
      if (mine === sequence) {
        loading.value = false;
        loaded.value = true;
      }
    }
  }

  function choose(id: string): void {
    chosen.value = id === blankChoice ? null : templates.value.find((t) => t.id === id) ?? chosen.value;
  }

  /** Chooses a template by id (a link's ?template=), also one the current filters leave out. */
  async function preselect(id: string): Promise<void> {
    const listed = templates.value.find((t) => t.id === id);
    if (listed) {
      chosen.value = listed;
      return;
    }
    try {
      chosen.value = await api.getTemplate({ params: { templateId: id } });
    } catch (e) {
      error.value = `The template in the link cannot be used: ${errorMessage(e)}`;
    }
  }

  /** Runs an action, then lists again; a failure is shown above the gallery. */
  async function act(action: () => Promise<unknown>, done: string): Promise<boolean> {
    try {
      await action();
      error.value = null;
      toasts.show(done);
      await load();
      return true;
    } catch (e) {
      error.value = errorMessage(e);
      return false;
    }
  }

  const hide = (t: TemplateSummary) => act(() => api.hideTemplate({ params: { templateId: t.id } }),
    showHidden.value ? `“${t.title}” is hidden from your gallery.` : `“${t.title}” is hidden from your gallery; tick “Show hidden” to find it again.`);

  const unhide = (t: TemplateSummary) => act(() => api.unhideTemplate({ params: { templateId: t.id } }), `“${t.title}” is back in your gallery.`);

  async function remove(t: TemplateSummary): Promise<boolean> {
    const ok = await act(() => api.deleteTemplate({ params: { templateId: t.id } }), `Template “${t.title}” deleted.`);
    if (ok && chosen.value?.id === t.id) chosen.value = null;
    return ok;
  }

  /** Saves an edit; a failure is thrown for the form to show next to its fields. */
  async function update(t: TemplateSummary, body: TemplateFormBody): Promise<void> {
    const updated = await api.updateTemplate({ params: { templateId: t.id }, body });
    if (chosen.value?.id === t.id) chosen.value = updated;
    toasts.show(`Template “${updated.title}” saved.`);
    await load();
  }

  return { templates, loading, loaded, error, scope, framework, complexity, showHidden, chosen, choice, filtered, load, choose, preselect, hide, unhide, remove, update };
}

export type TemplatesStore = ReturnType<typeof createTemplatesStore>;
