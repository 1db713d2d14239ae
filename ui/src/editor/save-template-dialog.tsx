/**
 * "Save as template": the app's current draft (saved first when it has unsaved edits) becomes one of
 * your templates, with a title, description, complexity and tags. Problems from the API show next to
 * their fields; on success, a link starts a new app from the template. Escape or Cancel closes.
 */
import { useState } from 'preact/hooks';
import { api } from '../http/client';
import type { TemplateSummary } from '../http/client';
import { noErrors, type FormErrors } from '../lib/form-errors';
import { useModal } from '../lib/modal';
import type { EditorStore } from '../stores/editor';
import { TemplateFields } from '../templates/template-fields';
import { formBody, templateFormErrors, type TemplateFormValues } from '../templates/template-form';
import '../templates/templates.css';

export interface Props {
  readonly store: EditorStore;
  readonly onClose: () => void;
}

export function SaveTemplateDialog({ store, onClose }: Props) {
  const app = store.app.value;
  const modal = useModal(onClose);
  const [values, setValues] = useState<TemplateFormValues>(() => ({ title: app?.name ?? '', description: app?.description ?? '', complexity: 'beginner', tags: '' }));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<TemplateSummary | null>(null);
  const save = async (event: Event) => {
    event.preventDefault();
    if (busy || !app) return;
    setBusy(true);
    setErrors(noErrors);
    try {
      if (store.dirty.value) {
        await store.save();
        if (store.dirty.value) {
          setErrors({ summary: 'The draft could not be saved, so it was not saved as a template; see the notice in the editor.', fields: {} });
          return;
        }
      }
      setSaved(await api.createTemplate({ body: { ...formBody(values), fromAppId: app.id } }));
    } catch (error) {
      setErrors(templateFormErrors(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog class="template-dialog" ref={modal.ref} aria-labelledby="save-template-heading" onCancel={modal.onCancel}>
      <h2 id="save-template-heading">Save as template</h2>
      {saved ? (
        <>
          <div class="alert info" role="status">
            <p>Saved “{saved.title}” as your template. It is listed under “Mine” in the templates gallery.</p>
            <a href={`/apps/new?template=${encodeURIComponent(saved.id)}`}>Start a new app from it</a>
          </div>
          <div class="row"><button type="button" onClick={onClose}>Close</button></div>
        </>
      ) : (
        <form noValidate onSubmit={(e) => void save(e)}>
          <p class="muted">The app's files as they are in the editor become a template only you can see. The app itself does not change.</p>
          {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
          <TemplateFields id="save-template" values={values} errors={errors} onChange={setValues} />
          <div class="row">
            <button class="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save template'}</button>
            <button type="button" onClick={onClose}>Cancel</button>
          </div>
        </form>
      )}
    </dialog>
  );
}
