import { useEffect } from 'react';
import type { ConsoleStore } from '../../store/console-store.ts';
import { ConsoleStoreProvider } from '../../store/store-context.tsx';
import { ConversationPane } from '../conversation/ConversationPane.tsx';
import { InboxList } from '../inbox/InboxList.tsx';
import { ErrorBanners } from '../status/ErrorBanners.tsx';
import { SyncStatusLine } from '../status/SyncStatusLine.tsx';
import { SidebarHeader } from './SidebarHeader.tsx';

export function App({ store }: { store: ConsoleStore }) {
  useEffect(() => store.getState().start(), [store]);
  return (
    <ConsoleStoreProvider store={store}>
      <div className="app">
        <aside className="sidebar">
          <SidebarHeader />
          <InboxList />
          <SyncStatusLine />
        </aside>
        <main className="main">
          <ErrorBanners />
          <ConversationPane />
        </main>
      </div>
    </ConsoleStoreProvider>
  );
}
