/** The stores every screen may use, provided once by <App>. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SessionStore } from './session';
import type { ToastStore } from './toasts';

export interface Stores {
  readonly session: SessionStore;
  readonly toasts: ToastStore;
}

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside <App>');
  return stores;
}
