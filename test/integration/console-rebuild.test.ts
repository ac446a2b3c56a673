// Rebuilding a console's cache from the relay's snapshot, against the real thing (simulator -> relay
// -> console core over HTTP and WebSocket, SQLite files on disk): after the agent's numbers change,
// after the console's cursor fell behind the log's horizon, and after a SIGKILL in the middle of a
// snapshot. Each time the rebuilt cache must hold exactly the rows a fresh console gets, keep its
// outbox and its local unread counts.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { openConsoleCore, type ConsoleCore } from '../../src/main/core/console-core.ts';
import {
  accountUpdateWebhook,
  phoneNumberQualityUpdateWebhook,
  templateStatusUpdateWebhook,
} from '../../src/simulator/index.ts';
import type { ConsoleEvent, SyncStatus } from '../../src/shared/console-api.ts';
import { conversationId } from '../../src/shared/domain.ts';
import { readCacheRows, unreadCounts, withoutLocalColumns } from '../helpers/console-cache-rows.ts';
import { ConsoleChild } from '../helpers/console-child-process.ts';
import { waitUntilSettled, type CursorProbe } from '../helpers/console-settle.ts';
import {
  startConsoleStack,
  STACK_PHONE_NUMBER_ID,
  STACK_SECOND_PHONE_NUMBER_ID,
  type ConsoleStack,
} from '../helpers/console-stack.ts';
import { readRelayStream } from '../helpers/console-stream-reader.ts';
import { waitFor } from '../helpers/console-wait.ts';

const WABA_ID = '102290129340398';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Everything a test opened, closed whatever happens. */
const open: { stacks: ConsoleStack[]; cores: ConsoleCore[]; children: ConsoleChild[] } = {
  stacks: [],
  cores: [],
  children: [],
};
afterEach(async () => {
  for (const child of open.children.splice(0)) await child.kill();
  for (const core of open.cores.splice(0)) await core.close();
  for (const stack of open.stacks.splice(0)) await stack.close();
});

async function newStack(options: { twoNumbers?: boolean } = {}): Promise<ConsoleStack> {
  const stack = await startConsoleStack(options);
  open.stacks.push(stack);
  return stack;
}

/** A console core that records every status and change it reports. */
async function openConsole(stack: ConsoleStack, path: string, token = stack.token) {
  const core = await openConsoleCore({
    cachePath: path,
    relayUrl: stack.relayUrl,
    token,
    clientId: `console-${path}`,
    demo: false,
  });
  open.cores.push(core);
  const statuses: SyncStatus[] = [];
  const events: ConsoleEvent[] = [];
  core.onEvent((event) => {
    events.push(event);
    if (event.type === 'sync.status') statuses.push(event.status);
  });
  const probe: CursorProbe = async () => {
    const status = await core.getSyncStatus({});
    return { cursor: status.cursor, caughtUp: status.state === 'connected' };
  };
  const close = async () => {
    open.cores.splice(open.cores.indexOf(core), 1);
    await core.close();
  };
  /** True once the console went through a rebuild: its cursor went back to 0 from further on. */
  const rebuilt = () =>
    statuses.some((s, i) => s.cursor === 0 && statuses.slice(0, i).some((p) => p.cursor > 0));
  return { core, statuses, events, probe, close, rebuilt };
}

/** Reads a console's cache file while a child process may be writing it. */
function cacheProbe(path: string): CursorProbe {
  return () => {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const repo = new CacheRepository(db);
      return Promise.resolve({ cursor: repo.getCursor(), caughtUp: !repo.carriesRebuild() });
    } finally {
      db.close();
    }
  };
}

function storedEpoch(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return new CacheRepository(db).getEpoch();
  } finally {
    db.close();
  }
}

let customers = 0;
function newCustomer(phoneNumberId = STACK_PHONE_NUMBER_ID): { waId: string; conversationId: string } {
  const waId = `5939933${String(++customers).padStart(5, '0')}`;
  return { waId, conversationId: conversationId(phoneNumberId, waId) };
}

async function write(
  stack: ConsoleStack,
  customer: { waId: string },
  text: string,
  phoneNumberId = STACK_PHONE_NUMBER_ID,
): Promise<string> {
  const { wamid, status } = await stack.simulator.sendInboundText({
    from: customer.waId,
    text,
    phoneNumberId,
  });
  expect(status).toBe(200);
  return wamid;
}

async function postBusinessUpdates(stack: ConsoleStack, at: number, suffix: string): Promise<void> {
  const answers = await Promise.all([
    stack.simulator.sendWebhook(
      templateStatusUpdateWebhook({
        wabaId: WABA_ID,
        at,
        templateId: 7_001,
        name: `pedido_listo_${suffix}`,
        language: 'es',
        event: 'APPROVED',
        category: 'UTILITY',
      }),
    ),
    stack.simulator.sendWebhook(
      phoneNumberQualityUpdateWebhook({
        wabaId: WABA_ID,
        at,
        displayPhoneNumber: '593 2 555 0100',
        event: 'FLAGGED',
        currentLimit: 'TIER_1K',
      }),
    ),
    stack.simulator.sendWebhook(
      accountUpdateWebhook({
        wabaId: WABA_ID,
        at,
        event: 'ACCOUNT_VIOLATION',
        info: { violation_info: { violation_type: `SPAM_${suffix}` } },
      }),
    ),
  ]);
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
}

describe('rebuilding a console cache from a snapshot', () => {
  it(
    'rebuilds for the numbers an agent was given, with the rows a fresh console gets',
    { timeout: 60_000 },
    async () => {
      const stack = await newStack({ twoNumbers: true });
      const { agent: luis, token } = stack.relay.createAgent({
        name: 'Luis',
        role: 'agent',
        numbers: [STACK_PHONE_NUMBER_ID],
      });
      const first = newCustomer();
      const second = newCustomer();
      const onSecondNumber = newCustomer(STACK_SECOND_PHONE_NUMBER_ID);
      await write(stack, first, 'Hola, ¿tienen talla M?');
      await write(stack, second, '¿Hacen envíos?');
      await write(stack, onSecondNumber, 'Buenas tardes', STACK_SECOND_PHONE_NUMBER_ID);
      await postBusinessUpdates(stack, stack.simulator.clock.now(), 'a');

      const path = join(stack.dir, 'luis.sqlite');
      const rebuilt = await openConsole(stack, path, token);
      await waitUntilSettled(stack, [rebuilt.probe]);
      const seenBefore = (await rebuilt.core.listConversations({ view: 'open', limit: 100 })).items
        .map((c) => c.id)
        .sort();
      expect(seenBefore).toEqual([first.conversationId, second.conversationId].sort());
      await rebuilt.core.markConversationRead({ conversationId: first.conversationId });
      await write(stack, first, 'Y también la L, por favor');
      await waitUntilSettled(stack, [rebuilt.probe]);
      expect(rebuilt.rebuilt()).toBe(false);

      // The agent now answers for both numbers: its connected console rebuilds on its own.
      rebuilt.events.length = 0;
      stack.relay.changeAgentAccess(luis.id, {
        numbers: [STACK_PHONE_NUMBER_ID, STACK_SECOND_PHONE_NUMBER_ID],
      });
      await waitFor('the second number to reach the console', async () =>
        (await rebuilt.core.listConversations({ view: 'open', limit: 100 })).items.some(
          (c) => c.id === onSecondNumber.conversationId,
        ),
      );
      await waitUntilSettled(stack, [rebuilt.probe]);
      expect(rebuilt.rebuilt()).toBe(true);
      // The UI was told to reload what the rebuild touched.
      const changed = rebuilt.events.flatMap((e) =>
        e.type === 'conversations.changed' ? e.conversationIds : [],
      );
      expect(new Set(changed)).toEqual(
        new Set([first.conversationId, second.conversationId, onSecondNumber.conversationId]),
      );
      expect(rebuilt.events).toContainEqual({
        type: 'messages.changed',
        conversationId: onSecondNumber.conversationId,
      });

      const freshPath = join(stack.dir, 'luis-fresh.sqlite');
      const fresh = await openConsole(stack, freshPath, token);
      await waitUntilSettled(stack, [rebuilt.probe, fresh.probe]);
      await rebuilt.close();
      await fresh.close();

      const rebuiltRows = readCacheRows(path);
      const freshRows = readCacheRows(freshPath);
      expect(rebuiltRows.conversations).toHaveLength(3);
      expect(rebuiltRows.templates.length).toBeGreaterThan(0);
      expect(withoutLocalColumns(rebuiltRows)).toEqual(withoutLocalColumns(freshRows));
      // Unread counts are local: the conversation read before the change only counts what came after.
      expect(unreadCounts(rebuiltRows)).toEqual({
        [first.conversationId]: 1,
        [second.conversationId]: 1,
        [onSecondNumber.conversationId]: 1,
      });
      expect(unreadCounts(freshRows)[first.conversationId]).toBe(2);
      // Both caches know the epoch they were built for: a restart resumes instead of rebuilding again.
      expect(storedEpoch(path)).toBe(1);
      expect(storedEpoch(freshPath)).toBe(1);
      const restarted = await openConsole(stack, path, token);
      await waitUntilSettled(stack, [restarted.probe]);
      expect(restarted.rebuilt()).toBe(false);
    },
  );

  it(
    'rebuilds a console whose cursor fell behind the log horizon, keeping its outbox',
    { timeout: 60_000 },
    async () => {
      const stack = await newStack();
      const first = newCustomer();
      const second = newCustomer();
      await write(stack, first, 'Hola');
      await write(stack, second, '¿Siguen abiertos?');
      await postBusinessUpdates(stack, stack.simulator.clock.now(), 'b');

      const path = join(stack.dir, 'ana.sqlite');
      const before = await openConsole(stack, path);
      await waitUntilSettled(stack, [before.probe]);
      await before.core.markConversationRead({ conversationId: first.conversationId });
      await before.close();

      // While the console is closed: more traffic, then 31 days pass and the relay prunes its log.
      await write(stack, first, '¿Me confirman?');
      const third = newCustomer();
      await write(stack, third, 'Buenos días');
      await stack.advanceClocks(31 * DAY_MS);
      await stack.stopRelay();

      // Offline, the agent answers the second customer; the reply waits in the outbox.
      const offline = await openConsole(stack, path);
      const { mutationId } = await offline.core.sendText({
        conversationId: second.conversationId,
        text: 'Sí, hasta las 18:00',
      });
      await offline.close();

      await stack.startRelay();
      const fourth = newCustomer();
      await write(stack, fourth, 'Hola, soy nuevo');
      expect((await readRelayStream(stack.relayUrl, stack.token)).reset).toBe('horizon');

      const rebuilt = await openConsole(stack, path);
      const fresh = await openConsole(stack, join(stack.dir, 'ana-fresh.sqlite'));
      await waitUntilSettled(stack, [rebuilt.probe, fresh.probe]);
      expect(rebuilt.rebuilt()).toBe(true);
      // Resent on connect, refused by the relay (a month later the window is closed), and still there.
      const reply = await waitFor('the relay to answer the queued reply', async () =>
        (await rebuilt.core.getMessages({ conversationId: second.conversationId, limit: 50 })).messages.find(
          (m) => m.id === mutationId && m.status === 'failed',
        ),
      );
      expect(reply.pending).toBe(true);
      // Events go on after the rebuild, alerts included.
      await postBusinessUpdates(stack, stack.simulator.clock.now(), 'c');
      await waitUntilSettled(stack, [rebuilt.probe, fresh.probe]);
      await rebuilt.close();
      await fresh.close();

      const rebuiltRows = readCacheRows(path);
      const freshRows = readCacheRows(join(stack.dir, 'ana-fresh.sqlite'));
      expect(rebuiltRows.conversations).toHaveLength(4);
      // The alerts raised before the rebuild came back with the snapshot, and the new one after it.
      const violations = rebuiltRows.alerts.map((row) => String(row.details_json));
      for (const round of ['SPAM_b', 'SPAM_c'])
        expect(violations.some((json) => json.includes(round))).toBe(true);
      expect(withoutLocalColumns({ ...rebuiltRows, outbox: [] })).toEqual(withoutLocalColumns(freshRows));
      expect(rebuiltRows.outbox).toEqual([
        expect.objectContaining({ mutation_id: mutationId, state: 'failed' }),
      ]);
      expect(unreadCounts(rebuiltRows)).toEqual({
        [first.conversationId]: 1,
        [second.conversationId]: 1,
        [third.conversationId]: 1,
        [fourth.conversationId]: 1,
      });
      expect(unreadCounts(freshRows)[first.conversationId]).toBe(2);
    },
  );

  it(
    'ends identical to a fresh console after a SIGKILL in the middle of a snapshot',
    { timeout: 120_000 },
    async () => {
      const stack = await newStack();
      // Long messages, so that the snapshot takes more than one page (frames are at most 1 MiB).
      const customersOfTest = Array.from({ length: 12 }, () => newCustomer());
      const long = (n: number) => `${n} `.padEnd(3_500, 'pedido, talla, color y dirección de envío; ');
      for (let round = 0; round < 30; round++) {
        await Promise.all(
          customersOfTest.map((customer, i) => write(stack, customer, long(round * 100 + i))),
        );
      }
      const [readOne] = customersOfTest;
      if (!readOne) throw new Error('no customers');

      const path = join(stack.dir, 'crash-rebuild.sqlite');
      const childArgs = {
        cachePath: path,
        relayUrl: stack.relayUrl,
        token: stack.token,
        clientId: 'crash-rebuild',
      };
      const startChild = (pauseAtSnapshotRow: number | null) => {
        const child = new ConsoleChild({ ...childArgs, pauseAtEvent: null, pauseAtSnapshotRow }, () => {});
        open.children.push(child);
        return child;
      };
      const syncing = startChild(null);
      await waitUntilSettled(stack, [cacheProbe(path)]);
      syncing.send({ cmd: 'read', conversationId: readOne.conversationId });
      await syncing.waitForLine((line) => line.type === 'read');
      syncing.send({ cmd: 'close' });
      await syncing.exited;

      await write(stack, readOne, 'uno más');
      await stack.advanceClocks(31 * DAY_MS);
      await stack.stopRelay();
      await stack.startRelay();
      const stream = await readRelayStream(stack.relayUrl, stack.token);
      expect(stream.reset).toBe('horizon');
      expect(stream.snapshots.length).toBeGreaterThan(1);
      const rows = stream.snapshots.reduce(
        (sum, page) =>
          sum +
          page.conversations.length +
          page.messages.length +
          page.templates.length +
          page.phoneNumbers.length,
        0,
      );

      // Killed inside the last page: the earlier pages are committed, the cursor still 0.
      const killed = startChild(rows - 1);
      await killed.waitForLine((line) => line.type === 'paused_in_snapshot');
      await killed.kill();
      const halfBuilt = readCacheRows(path);
      expect(halfBuilt.messages.length).toBeGreaterThan(0);
      expect(halfBuilt.messages.length).toBeLessThan(customersOfTest.length * 31);
      expect((await cacheProbe(path)()).cursor).toBe(0);

      const restarted = startChild(null);
      await waitUntilSettled(stack, [cacheProbe(path)]);
      restarted.send({ cmd: 'close' });
      await restarted.exited;

      const freshPath = join(stack.dir, 'crash-rebuild-fresh.sqlite');
      const fresh = await openConsole(stack, freshPath);
      await waitUntilSettled(stack, [fresh.probe]);
      await fresh.close();

      const rebuiltRows = readCacheRows(path);
      const freshRows = readCacheRows(freshPath);
      expect(rebuiltRows.messages).toHaveLength(customersOfTest.length * 30 + 1);
      expect(withoutLocalColumns(rebuiltRows)).toEqual(withoutLocalColumns(freshRows));
      // Read before the crash, one message since; every other conversation still has its 30 unread.
      expect(unreadCounts(rebuiltRows)).toEqual(
        Object.fromEntries(customersOfTest.map((c) => [c.conversationId, c === readOne ? 1 : 30])),
      );
      expect(unreadCounts(freshRows)[readOne.conversationId]).toBe(31);
    },
  );
});
