import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { SessionState, SessionStore } from '../../store/session-store.ts';

const SessionContext = createContext<SessionStore | null>(null);

export function SessionStoreProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

/** Reads a slice of the session state; select single values or stable references. */
export function useSession<T>(selector: (state: SessionState) => T): T {
  const store = useContext(SessionContext);
  if (store === null) throw new Error('useSession must be used inside a SessionStoreProvider');
  return useStore(store, selector);
}
