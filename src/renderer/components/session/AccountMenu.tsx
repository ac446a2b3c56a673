import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/console-api.ts';
import { SignOutDialog } from './SignOutDialog.tsx';
import './session.css';

/** The signed-in agent in the sidebar header: opens a menu with the relay and "sign out". */
export function AccountMenu({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const role = t(`app.agentRole.${session.agent.role}`);

  useEffect(() => {
    if (!open) return;
    // A click anywhere else or Escape closes the menu.
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="account-menu" ref={root}>
      <button
        type="button"
        className="account-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={t('session.signOut.menuLabel', { name: session.agent.name })}
        data-testid="account-menu"
        onClick={() => setOpen((value) => !value)}
      >
        <span className="account-menu__name">{session.agent.name}</span>
        <span className="account-menu__role">{role}</span>
      </button>
      {open ? (
        <div className="account-menu__popover" id={menuId} role="menu">
          <p className="account-menu__relay">
            {t('session.signOut.signedInAt', { relay: session.relayUrl })}
          </p>
          <button
            type="button"
            role="menuitem"
            className="account-menu__item"
            data-testid="sign-out"
            onClick={() => {
              setOpen(false);
              setConfirming(true);
            }}
          >
            {t('session.signOut.action')}
          </button>
        </div>
      ) : null}
      {confirming ? <SignOutDialog onClose={() => setConfirming(false)} /> : null}
    </div>
  );
}
