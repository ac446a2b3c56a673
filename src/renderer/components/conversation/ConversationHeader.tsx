import type { ConversationListItem } from '../../../shared/console-api.ts';
import { customerLabel, formatPhone } from '../../format/phone.ts';
import { Avatar } from '../common/Avatar.tsx';
import { WindowCountdown } from './WindowCountdown.tsx';

export function ConversationHeader({ conversation }: { conversation: ConversationListItem }) {
  const { customer } = conversation;
  const title = customerLabel(customer).title;
  // Under the name: the number, or the user id of a customer who has no number (usernames).
  const secondary = customer.waId ? formatPhone(customer.waId) : customer.userId;
  return (
    <header className="conversation-header">
      <Avatar name={customer.name} colorKey={conversation.id} size="lg" />
      <div className="conversation-header__who">
        <h2 className="conversation-header__name" title={title}>
          {title}
        </h2>
        {secondary && secondary !== title ? <p className="conversation-header__number">{secondary}</p> : null}
      </div>
      <WindowCountdown windowExpiresAt={conversation.windowExpiresAt} />
    </header>
  );
}
