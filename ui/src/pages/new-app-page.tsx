/**
 * A new app: its language (Python or TypeScript, fixed once created), the templates gallery of that
 * language (or a blank app of it) beside a panel that stays in view with the name, what the choice is,
 * a preview of its code, and "Create and deploy" / "Create without deploying" (on a phone, the panel
 * comes first, its buttons right under the name). `?template=<id>` chooses a template (and its language)
 * on arrival (the link after "Save as template"). One Idempotency-Key per choice, and the buttons are
 * disabled while a request runs: a double click (or a retried request) makes one app, never two. The
 * editor is prefetched meanwhile.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, type Language } from '../http/client';
import { Field } from '../components/field';
import { Shell } from '../components/shell';
import { formErrors, noErrors, type FormErrors } from '../lib/form-errors';
import { prefetchEditor } from '../lib/prefetch';
import { navigate } from '../lib/router';
import { useStores } from '../stores/context';
import { blankChoice, createTemplatesStore } from '../stores/templates';
import { CodePreview } from '../templates/code-preview';
import { TemplateGallery } from '../templates/template-gallery';
import '../templates/templates.css';

const languages: [Language, string][] = [['python', 'Python (FastAPI, FastHTML)'], ['typescript', 'TypeScript (Hono)']];
const blankTitles: Record<Language, string> = { python: 'Blank FastAPI app', typescript: 'Blank Hono app' };

function newKey(): string {
  return crypto.randomUUID();
}

export function NewAppPage() {
  const { toasts } = useStores();
  const store = useMemo(() => createTemplatesStore(toasts), []);
  const [name, setName] = useState('');
  const [language, setLanguage] = useState<Language>('python');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const chosen = store.chosen.value;
  // A new key whenever what would be created changes; the same key for every click on the same thing.
  const key = useMemo(newKey, [store.choice.value, name, language]);
  const first = useRef(true);
  useEffect(() => {
    const wanted = first.current ? new URLSearchParams(location.search).get('template') : null;
    first.current = false;
    void store.load().then(async () => {
      if (!wanted) return;
      await store.preselect(wanted);
      if (store.chosen.value?.language) setLanguage(store.chosen.value.language);
    });
  }, [store.scope.value, store.framework.value, store.complexity.value, store.showHidden.value]);
  useEffect(prefetchEditor, []);
  const chooseLanguage = (next: Language) => {
    setLanguage(next);
    // A template of the other language is no longer on offer.
    if (store.chosen.value && store.chosen.value.language !== next) store.choose(blankChoice);
  };
  const create = async (deploy: boolean) => {
    if (busy) return;
    setBusy(true);
    try {
      const body = { name: name.trim() || chosen?.title || 'My app', deploy, language, ...(chosen ? { templateId: chosen.id } : {}) };
      const app = await api.createApp({ body, headers: { 'idempotency-key': key } });
      navigate(`/apps/${app.id}${deploy ? '?deploying=1' : ''}`);
    } catch (error) {
      setErrors(formErrors(error, ['name']));
      setBusy(false);
    }
  };
  return (
    <Shell>
      <h1>New app</h1>
      <div class="new-app">
        <TemplateGallery store={store} language={language} />
        <aside class="create-panel card" aria-labelledby="create-heading">
          <h2 id="create-heading">{chosen ? chosen.title : blankTitles[language]}</h2>
          <form id="new-app-form" onSubmit={(e) => { e.preventDefault(); void create(true); }}>
            {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
            <Field id="app-name" label="Name" placeholder={chosen?.title ?? 'My app'} value={name} problem={errors.fields.name} onInput={(e) => setName(e.currentTarget.value)} maxLength={80} />
            <fieldset class="language-choice">
              <legend>Language</legend>
              {languages.map(([value, label]) => (
                <label key={value}>
                  <input type="radio" name="app-language" value={value} checked={language === value} onChange={() => chooseLanguage(value)} />
                  {label}
                </label>
              ))}
            </fieldset>
          </form>
          <div class="create-bar">
            <button class="primary" type="submit" form="new-app-form" disabled={busy}>{busy ? 'Creating…' : 'Create and deploy'}</button>
            <button type="button" disabled={busy} onClick={() => void create(false)}>Create without deploying</button>
          </div>
          <p class="muted choice-line" aria-live="polite">{chosen ? `Starts from the template “${chosen.title}”.` : `Starts from a blank ${language === 'typescript' ? 'Hono (TypeScript)' : 'FastAPI'} app.`}</p>
          <CodePreview templateId={chosen?.id ?? null} language={language} />
        </aside>
      </div>
    </Shell>
  );
}
