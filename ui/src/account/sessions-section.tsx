/** Where you are signed in (browsers and the CLI), newest use first; end any but this one. */
import { useState } from 'preact/hooks';
import type { Session } from '../http/client';
import { errorMessage } from '../lib/errors';
import { timeAgo } from '../lib/format';
import type { AccountStore } from '../stores/account';

export interface Props {
  readonly store: AccountStore;
}

export function SessionsSection({ store }: Props) {
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const end = async (session: Session) => {
    setProblem(null);
    try {
      await store.endSession(session.id);
      setStatus(`Ended the ${session.kind === 'cli' ? 'CLI' : 'browser'} session from ${session.userAgent || 'an unknown client'}.`);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <p class="muted">Each browser and each <code>fp login</code> is a session. End one you do not recognise.</p>
      {problem && <div class="alert" role="alert">{problem}</div>}
      <p class="status" role="status">{status}</p>
      <ul class="account-list" aria-labelledby="sessions-heading">
        {store.sessions.value.map((session) => (
          <li key={session.id} class="card account-item">
            <div class="summary">
              <strong class="name">{session.kind === 'cli' ? 'CLI' : 'Browser'}{session.current && <span class="badge">This session</span>}</strong>
              <span class="muted user-agent">{session.userAgent || 'Unknown client'}</span>
              <span class="muted">Signed in {timeAgo(session.createdAt)} · last used {timeAgo(session.lastUsedAt)}</span>
            </div>
            {!session.current && <button type="button" class="danger" onClick={() => void end(session)}>End<span class="visually-hidden"> session {session.userAgent}</span></button>}
          </li>
        ))}
      </ul>
    </section>
  );
}
