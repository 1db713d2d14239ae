/**
 * The editor screen (its own lazily loaded chunk with Monaco behind it): toolbar, files, code, and the
 * Problems / Deploy / Logs / Test / Manifests panels, plus the settings drawer. Ctrl/Cmd+S saves, Ctrl/Cmd+Enter
 * deploys, from anywhere on the screen; leaving with unsaved changes asks first. `?file=&line=` opens a
 * file at a line.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { CloneAppDialog } from '../apps/clone-app-dialog';
import { DeleteAppDialog } from '../apps/delete-app-dialog';
import { Shell } from '../components/shell';
import { Tabs } from '../components/tabs';
import { CodeEditor } from '../editor/code-editor';
import { DeployPanel } from '../editor/deploy-panel';
import { EnvDrawer } from '../editor/env-drawer';
import { FileTree } from '../editor/file-tree';
import { LogsPanel } from '../editor/logs-panel';
import { ManifestsPanel } from '../editor/manifests-panel';
import { Problems } from '../editor/problems';
import { SaveTemplateDialog } from '../editor/save-template-dialog';
import { TestPanel } from '../editor/test-panel';
import { Toolbar } from '../editor/toolbar';
import { appState } from '../lib/app-state';
import { guardLeaving, navigate } from '../lib/router';
import { useStores } from '../stores/context';
import { createEditorStore } from '../stores/editor';

export interface Props {
  readonly appId: string;
}

export default function EditorPage({ appId }: Props) {
  const { toasts } = useStores();
  const store = useMemo(() => createEditorStore(appId, toasts), [appId]);
  const [tab, setTab] = useState(new URLSearchParams(location.search).has('deploying') ? 'deploy' : 'problems');
  const [settings, setSettings] = useState(false);
  const [saveTemplate, setSaveTemplate] = useState(false);
  const [dialog, setDialog] = useState<'clone' | 'delete' | null>(null);
  useEffect(() => {
    // `?file=app.py&line=6` (a traceback's frame on the dashboard) opens that file at that line.
    const wanted = new URLSearchParams(location.search);
    void store.load().then(() => {
      const file = wanted.get('file');
      if (file) store.open(file, Number(wanted.get('line')) || null);
    });
    const keys = (event: KeyboardEvent) => {
      if (event.defaultPrevented || !(event.ctrlKey || event.metaKey)) return;
      if (event.key === 's') { event.preventDefault(); void store.save(); }
      if (event.key === 'Enter') { event.preventDefault(); setTab('deploy'); void store.deploy(); }
    };
    const leaving = (event: BeforeUnloadEvent) => { if (store.dirty.value) event.preventDefault(); };
    addEventListener('keydown', keys);
    addEventListener('beforeunload', leaving);
    const unguard = guardLeaving(() => (store.dirty.value ? 'This app has unsaved changes. Leave without saving them?' : null));
    return () => {
      unguard();
      removeEventListener('keydown', keys);
      removeEventListener('beforeunload', leaving);
      store.dispose();
    };
  }, [store]);
  useEffect(() => { if (store.deploying.value) setTab('deploy'); }, [store.deploying.value]);

  if (store.loadError.value) return <Shell><div class="alert" role="alert">{store.loadError.value}</div><a href="/apps">Back to your apps</a></Shell>;
  if (!store.app.value) return <Shell><p role="status">Loading the app…</p></Shell>;
  const errors = store.findings.value.filter((f) => f.severity === 'error').length;
  const tabs = [
    { id: 'problems', label: errors ? `Problems (${errors})` : 'Problems' },
    { id: 'deploy', label: 'Deploy' },
    { id: 'logs', label: 'Logs' },
    { id: 'test', label: 'Test' },
    { id: 'manifests', label: 'Manifests' },
  ];
  const path = store.active.value;
  return (
    <Shell wide>
      <div class="editor-screen">
        <Toolbar store={store} onSettings={() => setSettings(true)} onSaveTemplate={() => setSaveTemplate(true)} onClone={() => setDialog('clone')} onDelete={() => setDialog('delete')} />
        <div class="editor-body">
          <FileTree store={store} />
          <div class="code-pane">
            <CodeEditor path={path} value={store.files.value[path] ?? ''} files={store.files.value} findings={store.findings.value} reveal={store.reveal.value}
              onInput={store.edit} onSave={() => void store.save()} onDeploy={() => { setTab('deploy'); void store.deploy(); }} />
          </div>
          <div class="side">
            <Tabs label="Panels" tabs={tabs} selected={tab} onSelect={setTab}>
              {tab === 'problems' && <Problems store={store} />}
              {tab === 'deploy' && <DeployPanel store={store} />}
              {tab === 'logs' && <LogsPanel appId={appId} />}
              {tab === 'test' && <TestPanel appId={appId} servingVersion={appState(store.app.value.status).serving} />}
              {tab === 'manifests' && <ManifestsPanel store={store} />}
            </Tabs>
          </div>
        </div>
      </div>
      {settings && <EnvDrawer store={store} onClose={() => setSettings(false)} />}
      {saveTemplate && <SaveTemplateDialog store={store} onClose={() => setSaveTemplate(false)} />}
      {dialog === 'clone' && <CloneAppDialog app={store.app.value} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && (
        <DeleteAppDialog app={store.app.value} onClose={() => setDialog(null)} onDeleted={() => {
          store.discard();
          toasts.show(`${store.app.value?.name ?? 'The app'} was deleted.`);
          navigate('/apps', { replace: true });
        }} />
      )}
    </Shell>
  );
}
