import type { ReactNode } from 'react';

interface Props {
  icon: ReactNode;
  title: string;
  body: string;
  hint?: string;
  action?: { label: string; run: () => void };
}

export function EmptyState({ icon, title, body, hint, action }: Props) {
  return (
    <div className="empty-state">
      <div className="empty-state__icon">{icon}</div>
      <p className="empty-state__title">{title}</p>
      <p className="empty-state__body">{body}</p>
      {hint ? <p className="empty-state__hint">{hint}</p> : null}
      {action ? (
        <button type="button" className="empty-state__action" onClick={action.run}>
          {action.label}
        </button>
      ) : null}
    </div>
  );
}
