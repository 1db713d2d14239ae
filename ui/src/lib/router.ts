/**
 * A small history router: the current path as a signal, `navigate` to change it, and `match` to read
 * a route's parameters. Links are plain <a href> elements; `interceptLinks` turns same-origin clicks
 * into navigations without a page load. A screen with unsaved work sets a leave guard: navigating
 * away (a link, `navigate`, Back) asks first, as the browser's own beforeunload does for a page load.
 */
import { signal } from '@preact/signals';

export const currentPath = signal(location.pathname);

/** Returns the question to ask before leaving, or null when there is nothing to lose. */
type LeaveGuard = () => string | null;
let leaveGuard: LeaveGuard | null = null;

/** Sets the guard for the current screen; returns the function that removes it. */
export function guardLeaving(guard: LeaveGuard): () => void {
  leaveGuard = guard;
  return () => { if (leaveGuard === guard) leaveGuard = null; };
}

function mayLeave(): boolean {
  const question = leaveGuard?.();
  return !question || confirm(question);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  if (!mayLeave()) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  currentPath.value = location.pathname;
  window.scrollTo(0, 0);
}

addEventListener('popstate', () => {
  if (location.pathname === currentPath.value) return;
  // Back or Forward already changed the address: put it back when the person stays.
  if (!mayLeave()) {
    history.pushState(null, '', currentPath.value);
    return;
  }
  currentPath.value = location.pathname;
});

/** `/apps/:id` against `/apps/k3x9q2m7zt` → `{ id: 'k3x9q2m7zt' }`; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.replace(/\/+$/, '').split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const h = have[i] ?? '';
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(h);
    else if (w !== h) return null;
  }
  return params;
}

export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as HTMLElement).closest('a');
    if (!anchor || anchor.target || anchor.origin !== location.origin || anchor.hasAttribute('download')) return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search);
  });
}
