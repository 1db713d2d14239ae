/**
 * Personal API tokens, for the CLI in CI (FP_TOKEN): a new token's value is shown once, with a copy
 * button, until dismissed; the list shows names, prefixes and use, never values; revoking asks first.
 */
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog';
import { CopyButton } from '../components/copy-button';
import type { ApiToken } from '../http/client';
import { timeAgo } from '../lib/format';
import type { AccountStore } from '../stores/account';
import { TokenForm } from './token-form';

export interface Props {
  readonly store: AccountStore;
}

export function TokensSection({ store }: Props) {
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [status, setStatus] = useState('');
  const created = store.created.value;
  const tokens = store.tokens.value;
  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">Personal API tokens</h2>
      <p class="muted">For scripts and CI: set a token as <code>FP_TOKEN</code> (with <code>FP_URL</code>) and <code>fp</code> needs no sign-in. A token acts as you until it expires or you revoke it.</p>
      {created && (
        <div class="card new-token" role="status">
          <p><strong>Token “{created.name}” created.</strong> Copy it now: it is shown only this once.</p>
          <div class="row token-value">
            <code data-testid="new-token">{created.token}</code>
            <CopyButton text={created.token} label="Copy the token" />
          </div>
          <button type="button" onClick={() => { store.created.value = null; }}>Done, I stored it</button>
        </div>
      )}
      <p class="status" role="status">{status}</p>
      {!store.loading.value && tokens.length === 0 && <p class="muted">No tokens yet.</p>}
      <ul class="account-list" aria-labelledby="tokens-heading">
        {tokens.map((token) => (
          <li key={token.id} class="card account-item">
            <div class="summary">
              <strong class="name">{token.name}</strong>
              <span class="muted"><code>{token.prefix}…</code> · created {timeAgo(token.createdAt)} · {token.lastUsedAt ? `last used ${timeAgo(token.lastUsedAt)}` : 'never used'} · {token.expiresAt ? `expires ${token.expiresAt.slice(0, 10)}` : 'no expiry'}</span>
            </div>
            <button type="button" class="danger" onClick={() => { setStatus(''); setRevoking(token); }}>Revoke<span class="visually-hidden"> {token.name}</span></button>
          </li>
        ))}
      </ul>
      <TokenForm store={store} />
      {revoking && (
        <ConfirmDialog title={`Revoke “${revoking.name}”?`} confirmLabel="Yes, revoke it" busyLabel="Revoking…" onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await store.revokeToken(revoking.id);
            setStatus(`Revoked “${revoking.name}”: anything still using it is refused from now on.`);
          }}>
          <p>Scripts and CI jobs that use it stop working at once. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
