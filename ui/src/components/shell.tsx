/** The signed-in frame: a skip link, the top bar (brand, navigation, who, sign out) and the main region. */
import type { ComponentChildren } from 'preact';
import { useStores } from '../stores/context';
import { currentPath, navigate } from '../lib/router';
import { Toasts } from './toasts';

export interface Props {
  readonly wide?: boolean;
  readonly children: ComponentChildren;
}

export function Shell({ wide, children }: Props) {
  const { session } = useStores();
  const path = currentPath.value;
  const link = (href: string, text: string, active: boolean) => <a href={href} aria-current={active ? 'page' : undefined}>{text}</a>;
  const signOut = async () => {
    await session.logout();
    navigate('/login');
  };
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/apps">FastAPI Platform</a>
        <nav aria-label="Main">
          {link('/apps', 'Apps', path === '/apps')}
          {link('/apps/new', 'New app', path === '/apps/new')}
          {session.user.value?.isAdmin && link('/admin', 'Admin', path === '/admin')}
        </nav>
        <div class="who">
          <a href="/account" aria-current={path === '/account' ? 'page' : undefined} title="Account: API tokens and sessions">{session.user.value?.username}</a>
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" class={wide ? 'wide' : undefined} tabIndex={-1}>{children}</main>
      <Toasts />
    </>
  );
}
