/**
 * An app's version history: the last ten versions, any two of them (or a version and the current draft)
 * compared file by file, and rollback, which deploys an earlier version's files as a new version and
 * follows its rollout here, without leaving the page.
 */
import { computed, signal } from '@preact/signals';
import { api } from '../http/client';
import { followProgress } from '../http/client';
import type { AppDetail, ProgressEvent, VersionDetail, VersionSummary } from '../http/client';
import { fileChanges } from '../lib/file-changes';
import type { ToastStore } from './toasts';
import { appLoadError, errorMessage } from '../lib/errors';

/** A side of the comparison: a version number, the current draft, or nothing (before the first version). */
export type Side = number | 'draft' | 'none';

export function createHistoryStore(appId: string, toasts: ToastStore) {
  const app = signal<AppDetail | null>(null);
  const versions = signal<VersionSummary[]>([]);
  const loadError = signal<string | null>(null);
  const base = signal<Side>('none');
  const target = signal<Side>('draft');
  /** The files of the pair shown, with which pair it is: the heading names what the diff shows, never a pair still loading. */
  const sides = signal<{ base: Record<string, string>; target: Record<string, string>; baseSide: Side; targetSide: Side } | null>(null);
  const comparingNow = signal(false);
  const compareError = signal<string | null>(null);
  const file = signal<string | null>(null);
  const rollingBack = signal<number | null>(null);
  const rollout = signal<ProgressEvent | null>(null);
  const rollbackError = signal<string | null>(null);
  const details = new Map<number, Promise<VersionDetail>>();
  let following: AbortController | null = null;
  let comparing = 0;

  const changes = computed(() => (sides.value ? fileChanges(sides.value.base, sides.value.target) : []));

  function detail(number: number): Promise<VersionDetail> {
    let found = details.get(number);
    if (!found) {
      found = api.getVersion({ params: { appId, version: number } });
      found.catch(() => details.delete(number));
      details.set(number, found);
    }
    return found;
  }

  async function filesOf(side: Side): Promise<Record<string, string>> {
    if (side === 'none') return {};
    if (side === 'draft') return app.value?.draft.files ?? {};
    return (await detail(side)).files;
  }

  async function compare(): Promise<void> {
    const mine = ++comparing;
    comparingNow.value = true;
    const baseSide = base.value;
    const targetSide = target.value;
    try {
      const [before, after] = await Promise.all([filesOf(baseSide), filesOf(targetSide)]);
      if (mine !== comparing) return;
      sides.value = { base: before, target: after, baseSide, targetSide };
      comparingNow.value = false;
      compareError.value = null;
      const changed = changes.value.filter((c) => c.change !== 'unchanged');
      if (!file.value || !changed.some((c) => c.path === file.value)) file.value = changed[0]?.path ?? null;
    } catch (error) {
      if (mine === comparing) {
        compareError.value = errorMessage(error);
        comparingNow.value = false;
      }
    }
  }

  /** Shows a version against the one before it (a version that does not exist any more compares with nothing). */
  async function select(number: number): Promise<void> {
    target.value = number;
    const before = number > 1 ? await detail(number - 1).then(() => number - 1, () => 'none' as const) : 'none';
    // Another version was chosen meanwhile: its own select sets the pair.
    if (target.value !== number) return;
    base.value = before;
    await compare();
  }

  function setSides(next: { base?: Side; target?: Side }): void {
    if (next.base !== undefined) base.value = next.base;
    if (next.target !== undefined) target.value = next.target;
    void compare();
  }

  async function load(): Promise<void> {
    try {
      const [detailNow, list] = await Promise.all([
        api.getApp({ params: { appId } }),
        api.listVersions({ params: { appId } }),
      ]);
      app.value = detailNow;
      versions.value = list.versions;
      loadError.value = null;
    } catch (error) {
      loadError.value = appLoadError(error);
      return;
    }
    const newest = versions.value[0];
    if (newest) await select(newest.number);
  }

  async function rollback(number: number): Promise<void> {
    if (rollingBack.value !== null) return;
    rollingBack.value = number;
    rollout.value = null;
    rollbackError.value = null;
    following?.abort();
    const controller = new AbortController();
    following = controller;
    try {
      const result = await api.rollback({ params: { appId }, body: { version: number } });
      if (!result.changed) {
        toasts.show(`Version ${result.version} already runs these files; nothing to roll back.`);
        return;
      }
      await followProgress(appId, (event) => { if (event.version === result.version) rollout.value = event; }, controller.signal);
      const last = rollout.value as ProgressEvent | null;
      if (last?.phase === 'failed') rollbackError.value = `Version ${result.version} (the files of version ${number}) did not start: ${last.failure?.message ?? last.message}`;
      else if (last?.phase === 'ready') toasts.show(`Rolled back: version ${result.version}, the files of version ${number}, is live.`);
      else toasts.show(`Rolling back: version ${result.version}, the files of version ${number}, is starting; the list shows when it is live.`);
      // The platform records the outcome a moment after the runtime reports it: wait for the record.
      for (let attempt = 0; attempt < 20; attempt++) {
        await load();
        if (app.value?.status.phase !== 'deploying' || controller.signal.aborted) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } catch (error) {
      if (!controller.signal.aborted) rollbackError.value = errorMessage(error);
    } finally {
      rollingBack.value = null;
    }
  }

  function dispose(): void {
    following?.abort();
  }

  return {
    app, versions, loadError, base, target, sides, comparingNow, changes, compareError, file, rollingBack, rollout, rollbackError,
    load, select, setSides, rollback, dispose,
  };
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;
