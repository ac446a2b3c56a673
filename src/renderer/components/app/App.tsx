import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Clock } from '../../../shared/clock.ts';
import type { ConsoleClient } from '../../bridge/console-client.ts';
import { createConsoleStore } from '../../store/console-store.ts';
import { ConsoleStoreProvider } from '../../store/store-context.tsx';
import { createSessionStore } from '../../store/session-store.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import { AlertTriangleIcon } from '../common/icons.tsx';
import { ConversationPane } from '../conversation/ConversationPane.tsx';
import { InboxList } from '../inbox/InboxList.tsx';
import { SessionStoreProvider, useSession } from '../session/session-context.tsx';
import { SignInScreen } from '../session/SignInScreen.tsx';
import { ErrorBanners } from '../status/ErrorBanners.tsx';
import { SyncStatusLine } from '../status/SyncStatusLine.tsx';
import { SidebarHeader } from './SidebarHeader.tsx';

/** The root: the sign-in screen until someone is signed in, then the console for that session. */
export function App({ client, clock }: { client: ConsoleClient; clock: Clock }) {
  const [sessionStore] = useState(() => createSessionStore(client));
  useEffect(() => sessionStore.getState().start(), [sessionStore]);
  return (
    <SessionStoreProvider store={sessionStore}>
      <SessionGate client={client} clock={clock} />
    </SessionStoreProvider>
  );
}

function SessionGate({ client, clock }: { client: ConsoleClient; clock: Clock }) {
  const { t } = useTranslation();
  const phase = useSession((s) => s.phase);
  const generation = useSession((s) => s.generation);
  const loadError = useSession((s) => s.loadError);
  const reload = useSession((s) => s.load);
  switch (phase) {
    case 'checking':
      return (
        <div className="session-status" role="status">
          {t('session.checking')}
        </div>
      );
    case 'signedOut':
      return <SignInScreen />;
    case 'failed':
      return (
        <div className="missing-bridge" role="alert">
          <EmptyState
            icon={<AlertTriangleIcon />}
            title={t('session.loadFailedTitle')}
            body={loadError ? `${loadError.message} (${loadError.code})` : ''}
            action={{ label: t('session.retry'), run: () => void reload() }}
          />
        </div>
      );
    case 'signedIn':
      // A new session (sign-in, or someone else) starts the console over with fresh state.
      return <ConsoleView key={generation} client={client} clock={clock} />;
  }
}

function ConsoleView({ client, clock }: { client: ConsoleClient; clock: Clock }) {
  const [store] = useState(() => createConsoleStore(client, clock));
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
