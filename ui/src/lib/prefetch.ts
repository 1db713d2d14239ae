/**
 * Warms the editor while the person is elsewhere (the apps list, the new-app page): once the browser
 * is idle, the editor's chunk and Monaco are fetched and evaluated, so opening an app finds them ready
 * (the editor then creates Monaco at once, without the plain view).
 * Only once per page load, and never on a metered connection (Save-Data).
 */
let started = false;

export function prefetchEditor(): void {
  if (started) return;
  started = true;
  const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection;
  if (connection?.saveData) return;
  const idle = (window as Window & { requestIdleCallback?: (cb: () => void, options?: { timeout: number }) => number }).requestIdleCallback;
  const run = () => void Promise.all([import('../pages/editor-page'), import('../editor/code-editor').then((m) => m.loadMonaco())]).catch(() => { started = false; });
  if (idle) idle(run, { timeout: 2000 });
  else setTimeout(run, 300);
}
