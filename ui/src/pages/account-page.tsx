/** Your account: who you are, personal API tokens and signed-in sessions. */
import { useEffect, useMemo } from 'preact/hooks';
import { SessionsSection } from '../account/sessions-section';
import { TokensSection } from '../account/tokens-section';
import { Shell } from '../components/shell';
import { createAccountStore } from '../stores/account';
import { navigate } from '../lib/router';
import { useStores } from '../stores/context';
import '../account/account.css';

export default function AccountPage() {
  const { session } = useStores();
  const store = useMemo(createAccountStore, []);
  useEffect(() => {
    void store.load();
  }, []);
  const user = session.user.value;
  return (
    <Shell>
      <div class="account">
        <div class="page-title">
          <h1>Account</h1>
          <span class="spacer" />
          <button type="button" class="phone-only" onClick={() => void session.logout().then(() => navigate('/login'))}>Sign out</button>
        </div>
        <p class="muted">Signed in as <strong>{user?.username}</strong> ({user?.email}){user?.isAdmin ? ', an administrator' : ''}.</p>
        {store.error.value && <div class="alert" role="alert">{store.error.value}</div>}
        {store.loading.value && <p role="status">Loading your tokens and sessions…</p>}
        <TokensSection store={store} />
        <SessionsSection store={store} />
      </div>
    </Shell>
  );
}
