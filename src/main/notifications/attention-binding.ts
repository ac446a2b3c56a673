// Carries the console's attention events to the desktop: each `notification` is shown, each
// `unread.changed` sets the badge. Events only tell changes, and the console may have counted
// before anyone listened, so the current total is asked for once at the start.
import type { ConsoleApi, Unsubscribe } from '../../shared/console-api.ts';
import type { DesktopAttention } from '../ports.ts';

/** What the binding needs of the console: its events, and the inbox's unread total. */
export type AttentionSource = Pick<ConsoleApi, 'onEvent' | 'listConversations'>;

export function bindAttention(api: AttentionSource, attention: DesktopAttention): Unsubscribe {
  /** Bumped by every unread.changed and session change: an answer asked for before is stale. */
  let generation = 0;
  const askTotal = (onRefusal: () => void): void => {
    const asked = generation;
    api.listConversations({ view: 'open', limit: 1 }).then(
      (page) => {
        if (asked === generation && typeof page.unreadTotal === 'number')
          attention.setUnreadCount(page.unreadTotal);
      },
      () => {
        if (asked === generation) onRefusal();
      },
    );
  };
  const stop = api.onEvent((event) => {
    if (event.type === 'notification') attention.notify(event.notification);
    else if (event.type === 'unread.changed') {
      generation += 1;
      attention.setUnreadCount(event.unreadTotal);
    } else if (event.type === 'session.changed') {
      // Someone else's inbox, or none: a refusal here means signed out, and the badge clears.
      generation += 1;
      askTotal(() => attention.setUnreadCount(0));
    }
  });
  // Not ready yet (or closing): the next unread.changed sets the badge.
  askTotal(() => {});
  return stop;
}
