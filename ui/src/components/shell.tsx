/**
 * The signed-in frame: a skip link, the top bar (product, navigation, theme, shortcuts, who, sign out)
 * and the main region. The bar stays one line at every width: on a phone the product name shrinks to
 * its mark and the navigation scrolls sideways instead of wrapping. "?" opens the shortcuts.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useStores } from '../stores/context';
import { typing } from '../lib/keys';
import { currentPath, navigate } from '../lib/router';
import { ShortcutsDialog } from './shortcuts-dialog';
import { ThemeToggle } from './theme-toggle';
import { Toasts } from './toasts';

export interface Props {
  readonly wide?: boolean;
  readonly children: ComponentChildren;
}

export function Shell({ wide, children }: Props) {
  const { session } = useStores();
  const [shortcuts, setShortcuts] = useState(false);
  const path = currentPath.value;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '?' && !typing(event) && !event.ctrlKey && !event.metaKey && !document.querySelector('dialog[open]')) {
        event.preventDefault();
        setShortcuts(true);
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  const link = (href: string, text: string, active: boolean) => <a href={href} aria-current={active ? 'page' : undefined}>{text}</a>;
  const signOut = async () => {
    await session.logout();
    navigate('/login');
  };
  const user = session.user.value;
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/apps"><span class="mark" aria-hidden="true">▲</span><span class="brand-name">FastAPI Platform</span></a>
        <nav aria-label="Main">
          {link('/apps', 'Apps', path === '/apps')}
          {link('/apps/new', 'New app', path === '/apps/new')}
          {link('/databases', 'Databases', path.startsWith('/databases'))}
          {user?.isAdmin && link('/admin', 'Admin', path === '/admin')}
        </nav>
        <div class="who">
          <ThemeToggle />
          <button type="button" class="icon-button" onClick={() => setShortcuts(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" aria-keyshortcuts="?">?</button>
          <a class="who-name" href="/account" aria-current={path === '/account' ? 'page' : undefined} title="Account: API tokens and sessions">{user?.username}</a>
          <button type="button" class="sign-out" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" class={wide ? 'wide' : undefined} tabIndex={-1}>{children}</main>
      {shortcuts && <ShortcutsDialog onClose={() => setShortcuts(false)} />}
      <Toasts />
    </>
  );
}
