// Notifications and the unread total against the real thing: simulator -> relay -> console core,
// with a Notifier over the core's cache file through a second SQLite connection (WAL lets it read
// while the core writes), driven by the core's own events as the core will drive it.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleCore, type ConsoleCore } from '../../src/main/core/console-core.ts';
import { signedInAgentId } from '../../src/main/notifications/agent-scope.ts';
import { Notifier } from '../../src/main/notifications/notifier.ts';
import type { ConsoleEvent, ConsoleNotification } from '../../src/shared/console-api.ts';
import { conversationId } from '../../src/shared/domain.ts';
import { waitUntilSettled } from '../helpers/console-settle.ts';
import { startConsoleStack, STACK_PHONE_NUMBER_ID, type ConsoleStack } from '../helpers/console-stack.ts';
import { waitFor } from '../helpers/console-wait.ts';

let stack: ConsoleStack;
let caches = 0;
let customers = 0;

beforeAll(async () => {
  stack = await startConsoleStack();
});
afterAll(async () => {
  await stack.close();
});

/** A customer no other test has used (the simulator paces sends per recipient). */
function newCustomer(): { waId: string; conversationId: string } {
  const waId = `5939922${String(++customers).padStart(5, '0')}`;
  return { waId, conversationId: conversationId(STACK_PHONE_NUMBER_ID, waId) };
}

interface WatchedConsole {
  core: ConsoleCore;
  events: ConsoleEvent[];
  /** What the Notifier reported as failures (it never throws into the sync). */
  errors: unknown[];
  notifications(): ConsoleNotification[];
  lastUnreadTotal(): number | null;
  connected(): Promise<void>;
  /** Every event the relay logged is applied and the catch-up is over. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A console core with a Notifier over its cache, fed from the core's events. */
async function openWatched(cachePath: string): Promise<WatchedConsole> {
  const core = await openConsoleCore({
    cachePath,
    relayUrl: stack.relayUrl,
    token: stack.token,
    clientId: `notifications-${++caches}`,
    demo: false,
  });
  // Before anything reaches the relay: the core is opened, its cache migrated, no frame applied yet.
  const db = new Database(cachePath);
  db.pragma('busy_timeout = 5000');
  const events: ConsoleEvent[] = [];
  const errors: unknown[] = [];
  const notifier = new Notifier({
    db,
    agentId: () => signedInAgentId(db),
    emit: (event) => events.push(event),
    onError: (error) => errors.push(error),
  });
  const stop = core.onEvent((event) => {
    if (event.type === 'sync.status') notifier.onSyncStatus(event.status);
    else if (event.type === 'conversations.changed' || event.type === 'messages.changed')
      notifier.onApplied();
  });
  const probe = async () => {
    const status = await core.getSyncStatus({});
    return { cursor: status.cursor, caughtUp: status.state === 'connected' };
  };
  return {
    core,
    events,
    errors,
    notifications: () => events.flatMap((e) => (e.type === 'notification' ? [e.notification] : [])),
    lastUnreadTotal: () => events.findLast((e) => e.type === 'unread.changed')?.unreadTotal ?? null,
    connected: async () => {
      await waitFor('the console to catch up', async () => (await probe()).caughtUp);
    },
    settled: async () => {
      await waitUntilSettled(stack, [probe]);
    },
    async close() {
      stop();
      notifier.close();
      await core.close();
      db.close();
      expect(errors).toEqual([]);
    },
  };
}

async function say(customer: { waId: string }, text: string, name?: string): Promise<string> {
  const { wamid, status } = await stack.simulator.sendInboundText({
    from: customer.waId,
    text,
    ...(name ? { name } : {}),
  });
  expect(status).toBe(200);
  return wamid;
}

describe('notifications from a console core syncing with a relay', () => {
  it('announces a live inbound message with one notification, and the history of a first sync with none', async () => {
    // History from before this console existed: a first sync is not news.
    await say(newCustomer(), 'mensaje de antes');
    const watched = await openWatched(join(stack.dir, 'live.sqlite'));
    try {
      await watched.connected();
      await watched.settled();
      expect(watched.notifications()).toEqual([]);

      const customer = newCustomer();
      await say(customer, 'Hola, ¿abren mañana?', 'Lucía');
      const notification = await waitFor('the notification', () =>
        watched.notifications().find((n) => n.conversationId === customer.conversationId),
      );
      expect(notification).toEqual({
        title: 'Lucía',
        body: 'Hola, ¿abren mañana?',
        conversationId: customer.conversationId,
      });
      await watched.settled();
      expect(watched.notifications()).toHaveLength(1);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('tells 20 messages that arrived while the console was closed in ONE digest when it catches up', async () => {
    const path = join(stack.dir, 'backlog.sqlite');
    const first = await openWatched(path);
    await first.connected();
    await first.settled();
    await first.close();

    // Three conversations: live, each would get its own notification (a few a second are allowed).
    const writers = [newCustomer(), newCustomer(), newCustomer()];
    for (let i = 0; i < 20; i++) {
      const writer = writers[i % writers.length];
      if (writer) await say(writer, `mensaje ${i + 1} mientras Ventana estaba cerrada`);
    }

    const reopened = await openWatched(path);
    try {
      await reopened.connected();
      await reopened.settled();
      expect(reopened.notifications()).toEqual([
        { title: 'Mensajes nuevos', body: '20 mensajes nuevos en 3 conversaciones', conversationId: null },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it("stays quiet for a conversation assigned to a teammate, and not for the agent's queue", async () => {
    const { agent: teammate } = stack.relay.createAgent({
      name: 'Beto',
      role: 'agent',
      numbers: [STACK_PHONE_NUMBER_ID],
    });
    const watched = await openWatched(join(stack.dir, 'assigned.sqlite'));
    try {
      await watched.connected();
      await watched.settled();
      const theirs = newCustomer();
      await say(theirs, 'primera vez que escribo', 'Carmen');
      await waitFor('the unassigned conversation to be announced', () =>
        watched.notifications().find((n) => n.conversationId === theirs.conversationId),
      );

      const assigned = await fetch(`${stack.relayUrl}/v1/commands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          mutationId: `assign-${theirs.waId}`,
          command: { kind: 'assign', conversationId: theirs.conversationId, agentId: teammate.id },
        }),
      });
      expect(assigned.status, await assigned.clone().text()).toBe(200);
      await watched.settled();
      expect((await watched.core.getConversation({ conversationId: theirs.conversationId })).assigneeId).toBe(
        teammate.id,
      );

      await say(theirs, 'sigo esperando');
      const queue = newCustomer();
      await say(queue, 'hola, soy nuevo');
      await waitFor('the queue to be announced', () =>
        watched.notifications().find((n) => n.conversationId === queue.conversationId),
      );
      await watched.settled();
      expect(watched.notifications().filter((n) => n.conversationId === theirs.conversationId)).toEqual([
        { title: 'Carmen', body: 'primera vez que escribo', conversationId: theirs.conversationId },
      ]);
    } finally {
      await watched.close();
    }
  });

  it('keeps the unread total in step with new messages and markConversationRead', async () => {
    const watched = await openWatched(join(stack.dir, 'unread.sqlite'));
    try {
      await watched.connected();
      await watched.settled();
      const before = watched.lastUnreadTotal() ?? 0;
      const customer = newCustomer();
      await say(customer, 'uno');
      await say(customer, 'dos');
      await waitFor('two more unread', () => watched.lastUnreadTotal() === before + 2);

      await watched.core.markConversationRead({ conversationId: customer.conversationId });
      expect(watched.lastUnreadTotal()).toBe(before);
      const page = await watched.core.listConversations({ view: 'open', limit: 1 });
      expect(page.unreadTotal).toBe(before);
    } finally {
      await watched.close();
    }
  });
});
