import { useTranslation } from 'react-i18next';
import { useConsole } from '../../store/store-context.tsx';
import { VentanaMark } from '../common/icons.tsx';
import { AccountMenu } from '../session/AccountMenu.tsx';

export function SidebarHeader() {
  const { t } = useTranslation();
  const session = useConsole((s) => s.session);
  const count = useConsole((s) => s.conversations.length);
  const loaded = useConsole((s) => s.conversationsLoaded);
  return (
    <header className="sidebar-header">
      <div className="sidebar-header__brand">
        <VentanaMark className="sidebar-header__mark" />
        <span className="sidebar-header__name">{t('app.name')}</span>
        {session?.demo ? <span className="sidebar-header__demo">{t('app.demo')}</span> : null}
        {session && !session.demo ? (
          <AccountMenu session={session} />
        ) : session ? (
          <span
            className="sidebar-header__agent"
            title={`${session.agent.name} · ${t(`app.agentRole.${session.agent.role}`)}`}
          >
            <span className="sidebar-header__agent-name">{session.agent.name}</span>
            <span className="sidebar-header__agent-role">{t(`app.agentRole.${session.agent.role}`)}</span>
          </span>
        ) : null}
      </div>
      <h1 className="sidebar-header__title">
        {t('inbox.title')}
        {loaded && count > 0 ? <span className="sidebar-header__count">{count.toLocaleString()}</span> : null}
      </h1>
    </header>
  );
}
