/** Edit one of your templates (title, description, complexity, tags) in a modal dialog; Escape or Cancel closes. */
import { useState } from 'preact/hooks';
import { noErrors, type FormErrors } from '../lib/form-errors';
import { useModal } from '../lib/modal';
import type { TemplateSummary } from '../http/client';
import { TemplateFields } from './template-fields';
import { formBody, formValues, templateFormErrors, type TemplateFormBody } from './template-form';

export interface Props {
  readonly template: TemplateSummary;
  readonly onSave: (body: TemplateFormBody) => Promise<void>;
  readonly onClose: () => void;
}

export function EditTemplateDialog({ template, onSave, onClose }: Props) {
  const modal = useModal(onClose);
  const [values, setValues] = useState(() => formValues(template));
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const save = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setErrors(noErrors);
    try {
      await onSave(formBody(values));
      onClose();
    } catch (error) {
      setErrors(templateFormErrors(error));
      setBusy(false);
    }
  };
  return (
    <dialog class="template-dialog" ref={modal.ref} aria-labelledby="edit-template-heading" onCancel={modal.onCancel}>
      <h2 id="edit-template-heading">Edit template</h2>
      <form noValidate onSubmit={(e) => void save(e)}>
        {errors.summary && <div class="alert" role="alert">{errors.summary}</div>}
        <TemplateFields id="edit-template" values={values} errors={errors} onChange={setValues} />
        <div class="row">
          <button class="primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save changes'}</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </dialog>
  );
}
