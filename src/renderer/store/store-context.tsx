import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ConsoleState, ConsoleStore } from './console-store.ts';

const StoreContext = createContext<ConsoleStore | null>(null);

export function ConsoleStoreProvider({ store, children }: { store: ConsoleStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Reads a slice of the console state; select single values or stable references. */
export function useConsole<T>(selector: (state: ConsoleState) => T): T {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useConsole must be used inside a ConsoleStoreProvider');
  return useStore(store, selector);
}
