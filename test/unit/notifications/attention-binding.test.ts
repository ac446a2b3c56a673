// The binding between the console's events and the desktop: notifications shown, the badge set
// from the total asked for at start and then from every change, cleared on signing out.
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/main/core/event-hub.ts';
import { bindAttention } from '../../../src/main/notifications/attention-binding.ts';
import { openConversationRequest } from '../../../src/main/notifications/open-request.ts';
import type { DesktopAttention } from '../../../src/main/ports.ts';
import type { ConsoleEventListener, ConversationPage } from '../../../src/shared/console-api.ts';

const counts = { open: 0, mine: 0, unassigned: 0, unread: 0, expiring: 0, closed: 0 };

/** A console whose listConversations answers are released by the test, in the order it chooses. */
function consoleWithAnswers() {
  const hub = new EventHub();
  const answers: { resolve: (page: ConversationPage) => void; reject: (error: Error) => void }[] = [];
  const api = {
    onEvent: (listener: ConsoleEventListener) => hub.on(listener),
    listConversations: () =>
      new Promise<ConversationPage>((resolve, reject) => answers.push({ resolve, reject })),
  };
  const page = (unreadTotal: number): ConversationPage => ({
    items: [],
    nextCursor: null,
    counts,
    unreadTotal,
  });
  return { hub, api, answers, page };
}

function recorder() {
  const calls: (string | number)[] = [];
  const attention: DesktopAttention = {
    notify: (n) => calls.push(n.title),
    setUnreadCount: (n) => calls.push(n),
  };
  return { calls, attention };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('bindAttention', () => {
  it('sets the badge from the total at start unless a change came first, and shows notifications', async () => {
    const { hub, api, answers, page } = consoleWithAnswers();
    const { calls, attention } = recorder();
    bindAttention(api, attention);
    hub.emit({ type: 'notification', notification: { title: 'Lucía', body: 'Hola', conversationId: 'c' } });
    hub.emit({ type: 'unread.changed', unreadTotal: 4 });
    answers[0]?.resolve(page(2)); // asked before the change: stale
    await tick();
    expect(calls).toEqual(['Lucía', 4]);
  });

  it('asks again on a session change, and clears the badge when the answer is a refusal (signed out)', async () => {
    const { hub, api, answers, page } = consoleWithAnswers();
    const { calls, attention } = recorder();
    const stop = bindAttention(api, attention);
    answers[0]?.resolve(page(3));
    await tick();
    hub.emit({ type: 'session.changed' });
    answers[1]?.reject(new Error('NOT_SIGNED_IN'));
    await tick();
    hub.emit({ type: 'session.changed' });
    answers[2]?.resolve(page(8));
    await tick();
    stop();
    hub.emit({ type: 'unread.changed', unreadTotal: 1 });
    expect(calls).toEqual([3, 0, 8]);
  });
});

describe('open-conversation request', () => {
  it('asks the page to show the clicked conversation', () => {
    expect(openConversationRequest('n:593')).toEqual({ type: 'conversation.open', conversationId: 'n:593' });
  });
});
