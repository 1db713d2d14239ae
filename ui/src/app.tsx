/** The UI's root: the stores, the session check, and the routes (an app's screens loaded on demand). */
import { useEffect, useMemo } from 'preact/hooks';
import { Redirect } from './components/redirect';
import { Shell } from './components/shell';
import { lazy } from './lib/lazy';
import { currentPath, match } from './lib/router';
import { AppsPage } from './pages/apps-page';
import { LoginPage } from './pages/login-page';
import { NewAppPage } from './pages/new-app-page';
import { SignupPage } from './pages/signup-page';
import { StoresContext } from './stores/context';
import { createSessionStore } from './stores/session';
import { createToastStore } from './stores/toasts';

const EditorPage = lazy(() => import('./pages/editor-page'), () => <Shell><p role="status">Loading the editor…</p></Shell>);
const HistoryPage = lazy(() => import('./pages/history-page'), () => <Shell><p role="status">Loading the history…</p></Shell>);
const AdminPage = lazy(() => import('./pages/admin-page'), () => <Shell><p role="status">Loading…</p></Shell>);
const AccountPage = lazy(() => import('./pages/account-page'), () => <Shell><p role="status">Loading your account…</p></Shell>);
const DevicePage = lazy(() => import('./pages/device-page'), () => <Shell><p role="status">Loading…</p></Shell>);
const DatabasesPage = lazy(() => import('./pages/databases-page'), () => <Shell><p role="status">Loading your databases…</p></Shell>);
const DatabasePage = lazy(() => import('./pages/database-page'), () => <Shell><p role="status">Loading the database…</p></Shell>);
const DashboardPage = lazy(() => import('./pages/dashboard-page'), () => <Shell><p role="status">Loading the dashboard…</p></Shell>);

/** An app's screens: the editor, its history, its dashboard. */
function appScreen(path: string) {
  const history = match('/apps/:id/history', path)?.id;
  if (history) return <HistoryPage key={history} appId={history} />;
  const dashboard = match('/apps/:id/dashboard', path)?.id;
  if (dashboard) return <DashboardPage key={dashboard} appId={dashboard} />;
  const editor = match('/apps/:id', path)?.id;
  if (editor) return <EditorPage key={editor} appId={editor} />;
  return null;
}

function Routes() {
  const path = currentPath.value;
  return <Router path={path} />;
}

function Router({ path }: { readonly path: string }) {
  const stores = useMemo(() => ({ session: createSessionStore(), toasts: createToastStore() }), []);
  useEffect(() => {
    void stores.session.load();
    void stores.session.loadConfig();
  }, []);
  const { session } = stores;
  let page;
  if (!session.checked.value) page = <p role="status" class="auth">Loading…</p>;
  else if (path === '/login' || path === '/signup') page = session.user.value ? <Redirect to="/apps" /> : path === '/login' ? <LoginPage /> : <SignupPage />;
  // The query goes along: `/apps/<id>?file=app.py&line=15` opens at that line after signing in.
  else if (!session.user.value) page = <Redirect to={`/login${path === '/' || path === '/apps' ? '' : `?next=${encodeURIComponent(path + location.search)}`}`} />;
  else if (path === '/' || path === '') page = <Redirect to="/apps" />;
  else if (path === '/apps') page = <AppsPage />;
  else if (path === '/apps/new') page = <NewAppPage />;
  else if (path === '/admin') page = <AdminPage />;
  else if (path === '/account') page = <AccountPage />;
  else if (path === '/device') page = <DevicePage />;
  else if (path === '/databases') page = <DatabasesPage />;
  else if (match('/databases/:id', path)) page = <DatabasePage key={path} databaseId={match('/databases/:id', path)?.id ?? ''} />;
  else page = appScreen(path) ?? <Shell><h1>Not found</h1><p>There is nothing at this address. <a href="/apps">Go to your apps</a>.</p></Shell>;
  return <StoresContext.Provider value={stores}>{page}</StoresContext.Provider>;
}

export const App = Routes;
