/** Deleting an app, behind the platform's own confirmation: says what goes (what runs, versions, variables, history) and that it cannot be undone. */
import { ConfirmDialog } from '../components/confirm-dialog';
import { api } from '../http/client';

export interface Props {
  readonly app: { readonly id: string; readonly name: string; readonly url: string };
  readonly onDeleted: () => void;
  readonly onClose: () => void;
}

export function DeleteAppDialog({ app, onDeleted, onClose }: Props) {
  const remove = async () => {
    await api.deleteApp({ params: { appId: app.id } });
    onDeleted();
  };
  return (
    <ConfirmDialog title={`Delete ${app.name}?`} confirmLabel="Delete app" onConfirm={remove} onClose={onClose}>
      <p>This stops <strong>{app.name}</strong> at <span class="mono">{app.url}</span> and deletes its code, every version, its
        environment variables and its request history. Its database keeps its data. This cannot be undone.</p>
    </ConfirmDialog>
  );
}
