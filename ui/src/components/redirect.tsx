/** Navigates elsewhere once rendered (routing guards). */
import { useEffect } from 'preact/hooks';
import { navigate } from '../lib/router';

export function Redirect({ to }: { readonly to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
