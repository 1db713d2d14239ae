/**
 * The device sign-in approval page (`fp login` prints its address with the code): shows what asks to
 * sign in as you, from where, and asks you to compare the code with the one in your terminal before
 * approving. A code can also be typed in.
 */
import { useEffect, useState } from 'preact/hooks';
import { Field } from '../components/field';
import { Shell } from '../components/shell';
import { api, type DeviceLogin } from '../http/client';
import { errorMessage } from '../lib/errors';
import { timeAgo } from '../lib/format';
import { useStores } from '../stores/context';
import '../account/account.css';

export default function DevicePage() {
  const { session } = useStores();
  const [code, setCode] = useState(() => new URLSearchParams(location.search).get('code') ?? '');
  const [request, setRequest] = useState<DeviceLogin | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const look = async (value: string) => {
    setBusy(true);
    setProblem(null);
    try {
      setRequest(await api.getDeviceLogin({ params: { userCode: value.trim() } }));
    } catch (e) {
      setRequest(null);
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (code) void look(code);
  }, []);
  const decide = async (decision: 'approve' | 'deny') => {
    if (!request) return;
    setBusy(true);
    setProblem(null);
    try {
      const params = { userCode: request.userCode };
      setRequest(decision === 'approve' ? await api.approveDeviceLogin({ params }) : await api.denyDeviceLogin({ params }));
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Shell>
      <div class="device">
        <h1>Sign in a device</h1>
        {problem && <div class="alert" role="alert">{problem}</div>}
        {!request && (
          <form class="card account-form" onSubmit={(e) => { e.preventDefault(); void look(code); }}>
            <p>Enter the code that <code>fp login</code> shows in your terminal.</p>
            <Field id="device-code" label="Code" placeholder="WDJB-MJHT" value={code} maxLength={20} autoComplete="off" onInput={(e) => setCode(e.currentTarget.value)} />
            <button type="submit" class="primary" disabled={busy || !code.trim()}>Continue</button>
          </form>
        )}
        {request?.status === 'pending' && (
          <div class="card account-form" aria-labelledby="device-ask">
            <p id="device-ask"><strong>{request.client}</strong> asks to sign in as <strong>{session.user.value?.username}</strong>.</p>
            <dl>
              <dt>Code</dt><dd class="code">{request.userCode}</dd>
              <dt>From</dt><dd>{request.address}</dd>
              <dt>Asked</dt><dd>{timeAgo(request.requestedAt)}</dd>
            </dl>
            <p>Approve only if you just ran <code>fp login</code> yourself and your terminal shows this same code. The CLI can then do anything you can.</p>
            <div class="actions">
              <button type="button" class="primary" disabled={busy} onClick={() => void decide('approve')}>Approve</button>
              <button type="button" disabled={busy} onClick={() => void decide('deny')}>Deny</button>
            </div>
          </div>
        )}
        {request?.status === 'approved' && (
          <div class="card" role="status"><p><strong>Approved.</strong> {request.client} is signing in as {session.user.value?.username}; you can close this tab and go back to your terminal.</p></div>
        )}
        {request?.status === 'denied' && (
          <div class="card" role="status"><p><strong>Denied.</strong> {request.client} was not signed in. If you did not run <code>fp login</code>, nothing else is needed.</p></div>
        )}
        <p class="muted">Your signed-in devices and tokens are on your <a href="/account">account page</a>.</p>
      </div>
    </Shell>
  );
}
