/**
 * One app in the editor: its files as edited here, the draft revision they are based on, validation
 * findings as you type (debounced, through POST /api/validate), save (PUT draft, 409 when someone saved
 * a newer revision elsewhere), deploy (save first, then deploy that revision and follow the rollout's
 * progress stream), and the outcome as a sentence with the failure's file and line.
 */
import { computed, signal } from '@preact/signals';
import { api, ApiError, followProgress, type AppDetail, type Finding, type ProgressEvent } from '../http/client';
import { fileNameProblem } from '../lib/file-names';
import type { ToastStore } from './toasts';
import { appLoadError, errorMessage } from '../lib/errors';

export interface Notice {
  readonly kind: 'error' | 'info';
  readonly text: string;
  readonly file?: string | null;
  readonly line?: number | null;
}

const same = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

export function createEditorStore(appId: string, toasts: ToastStore) {
  const app = signal<AppDetail | null>(null);
  const loadError = signal<string | null>(null);
  const files = signal<Record<string, string>>({});
  const saved = signal<Record<string, string>>({});
  const entrypoint = signal('app.py');
  const active = signal('app.py');
  const revision = signal(0);
  const findings = signal<Finding[]>([]);
  const saving = signal(false);
  const deploying = signal(false);
  const progress = signal<ProgressEvent[]>([]);
  const notice = signal<Notice | null>(null);
  const reveal = signal<{ line: number; nonce: number } | null>(null);
  const dirty = computed(() => !same(files.value, saved.value));
  let validation = 0;
  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  let following: AbortController | null = null;
  let inFlightSave: Promise<boolean> | null = null;
  let disposed = false;

  function take(detail: AppDetail): void {
    app.value = detail;
    files.value = { ...detail.draft.files };
    saved.value = { ...detail.draft.files };
    entrypoint.value = detail.draft.entrypoint;
    revision.value = detail.draft.revision;
    if (!(active.value in files.value)) active.value = detail.draft.entrypoint;
  }

  async function load(): Promise<void> {
    try {
      take(await api.getApp({ params: { appId } }));
      loadError.value = null;
      void validateNow();
      if (app.value?.status.phase === 'deploying') void follow();
    } catch (error) {
      loadError.value = appLoadError(error);
    }
  }

  /** The app's status and hints again; the files only when nothing here is unsaved. */
  async function refresh(): Promise<void> {
    const detail = await api.getApp({ params: { appId } }).catch(() => null);
    if (!detail) return;
    if (!dirty.value && detail.draft.revision !== revision.value) take(detail);
    else app.value = { ...detail, draft: app.value?.draft ?? detail.draft };
  }

  async function validateNow(): Promise<void> {
    const mine = ++validation;
    try {
      const result = await api.validate({ body: { files: files.value, entrypoint: entrypoint.value } });
      if (mine === validation) findings.value = result.findings;
    } catch {
      // Validation as you type is a help; save and deploy validate again and say what is wrong.
    }
  }

  function edit(path: string, value: string): void {
    if (files.value[path] === value) return;
    files.value = { ...files.value, [path]: value };
    clearTimeout(validateTimer);
    validateTimer = setTimeout(() => void validateNow(), 400);
  }

  /**
   * One save at a time: a second PUT from the same base revision (Ctrl+S twice, Save then Deploy) would
   * be refused as a conflict, so it waits for the running one and then saves what is still unsaved.
   */
  async function save(): Promise<boolean> {
    if (inFlightSave) return (await inFlightSave) && save();
    if (!dirty.value) return true;
    inFlightSave = saveOnce();
    try {
      return await inFlightSave;
    } finally {
      inFlightSave = null;
    }
  }

  async function saveOnce(): Promise<boolean> {
    saving.value = true;
    const snapshot = { ...files.value };
    try {
      const result = await api.saveDraft({ params: { appId }, body: { revision: revision.value, files: snapshot, entrypoint: entrypoint.value } });
      revision.value = result.revision;
      saved.value = snapshot;
      findings.value = result.findings;
      if (app.value) app.value = { ...app.value, hasUnpublishedChanges: true };
      return true;
    } catch (error) {
      const current = (error instanceof ApiError ? (error.details as { currentRevision?: number } | null)?.currentRevision : undefined);
      notice.value = {
        kind: 'error',
        text: error instanceof ApiError && error.status === 409
          ? `A newer draft (revision ${current ?? '?'}) was saved elsewhere — another tab or \`fp push\`. Your edits are still here; copy what you need, then reload to get the newer draft.`
          : errorMessage(error),
      };
      return false;
    } finally {
      saving.value = false;
    }
  }

  async function saveWithNotice(): Promise<void> {
    if (!dirty.value) return toasts.show('Nothing to save; the draft is up to date.');
    if (await save()) toasts.show(`Draft saved (revision ${revision.value}). What runs changes when you deploy.`);
  }

  async function follow(): Promise<void> {
    following?.abort();
    const controller = new AbortController();
    following = controller;
    progress.value = [];
    await followProgress(appId, (event) => { progress.value = [...progress.value, event]; }, controller.signal).catch(() => undefined);
    if (following !== controller || disposed) return;
    const last = progress.value.at(-1);
    if (last?.phase === 'failed') {
      const failure = last.failure;
      notice.value = { kind: 'error', text: `Version ${last.version} did not start: ${failure?.message ?? last.message}`, file: failure?.file ?? null, line: failure?.line ?? null };
    } else if (last?.phase === 'ready') {
      notice.value = null;
      toasts.show(`Version ${last.version} is live.`);
    }
    await settle();
  }

  /** The runtime reports an outcome a moment before the platform has recorded it: wait for the record. */
  async function settle(): Promise<void> {
    for (let attempt = 0; attempt < 20 && !disposed; attempt++) {
      await refresh();
      if (app.value?.status.phase !== 'deploying') return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async function deploy(): Promise<void> {
    if (deploying.value) return;
    deploying.value = true;
    notice.value = null;
    try {
      if (!(await save())) return;
      const result = await api.deploy({ params: { appId }, body: { draftRevision: revision.value } });
      if (!result.changed) {
        toasts.show(`Version ${result.version} already runs this code; nothing to deploy.`);
        await refresh();
        return;
      }
      await follow();
    } catch (error) {
      const problems = ((error instanceof ApiError ? error.details : null) as { findings?: Finding[] } | null)?.findings;
      if (problems) findings.value = problems;
      const first = problems?.find((f) => f.severity === 'error');
      notice.value = { kind: 'error', text: errorMessage(error), file: first?.file ?? null, line: first?.line ?? null };
    } finally {
      deploying.value = false;
    }
  }

  function open(path: string, line?: number | null): void {
    if (!(path in files.value)) return;
    active.value = path;
    if (line) reveal.value = { line, nonce: Date.now() };
  }

  /** Adds, renames or deletes a file; returns a sentence when the name cannot be used. */
  function addFile(path: string): string | null {
    const problem = fileNameProblem(path, Object.keys(files.value));
    if (problem) return problem;
    files.value = { ...files.value, [path]: '' };
    active.value = path;
    return null;
  }

  function renameFile(from: string, to: string): string | null {
    if (from === entrypoint.value) return 'The entry point keeps its name: the runner imports it.';
    const problem = fileNameProblem(to, Object.keys(files.value).filter((p) => p !== from));
    if (problem) return problem;
    const { [from]: content = '', ...rest } = files.value;
    files.value = { ...rest, [to]: content };
    if (active.value === from) active.value = to;
    void validateNow();
    return null;
  }

  function deleteFile(path: string): string | null {
    if (path === entrypoint.value) return 'The entry point cannot be deleted: the runner imports it.';
    const { [path]: _removed, ...rest } = files.value;
    files.value = rest;
    if (active.value === path) active.value = entrypoint.value;
    void validateNow();
    return null;
  }

  /** Forgets unsaved edits (the app was deleted): leaving must not ask about them. */
  function discard(): void {
    saved.value = files.value;
  }

  function dispose(): void {
    disposed = true;
    following?.abort();
    clearTimeout(validateTimer);
  }

  return {
    app, loadError, files, entrypoint, active, revision, findings, saving, deploying, progress, notice, reveal, dirty,
    load, refresh, edit, save: saveWithNotice, deploy, follow, open, addFile, renameFile, deleteFile, discard, dispose,
  };
}

export type EditorStore = ReturnType<typeof createEditorStore>;
