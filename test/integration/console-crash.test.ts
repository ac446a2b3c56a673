// Crash safety of the console core: a console child process is SIGKILLed ten times, at points chosen
// by a seeded PRNG (some inside an apply transaction, some at random moments), while customers keep
// writing through the simulator and the child keeps queueing replies. Afterwards the cache must hold
// every inbound message exactly once, stand at the relay's head, and every reply it queued must have
// reached the simulator exactly once. Rerun a failure with CONSOLE_CRASH_SEED=<seed>.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CacheRepository } from '../../src/main/cache/cache-repository.ts';
import { conversationId } from '../../src/shared/domain.ts';
import { ConsoleChild } from '../helpers/console-child-process.ts';
import type { ChildLine } from '../helpers/console-child-protocol.ts';
import { startConsoleStack, STACK_PHONE_NUMBER_ID, type ConsoleStack } from '../helpers/console-stack.ts';
import { readRelayStream } from '../helpers/console-stream-reader.ts';
import { waitFor } from '../helpers/console-wait.ts';

const KILLS = 10;
const seed = Number(process.env.CONSOLE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`console-crash seed: ${seed} (rerun with CONSOLE_CRASH_SEED=${seed})`);

/** mulberry32: small, seedable, good enough to pick kill points. */
function prng(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let stack: ConsoleStack;
/** The console child of the moment (the one to kill should the test fail half way). */
const current: { child: ConsoleChild | null } = { child: null };
beforeAll(async () => {
  stack = await startConsoleStack({ statusDelayMs: 10 });
});
afterAll(async () => {
  await current.child?.kill();
  await stack.close();
});

it(
  'survives ten SIGKILLs without losing, duplicating or resending anything',
  { timeout: 240_000 },
  async () => {
    const random = prng(seed);
    const cachePath = join(stack.dir, 'crash-console.sqlite');
    /** Inbound messages the relay accepted: wamid -> conversation. */
    const inbound = new Map<string, string>();
    /** Replies the child reported durably queued: mutation id -> text. */
    const queued = new Map<string, string>();
    const onLine = (line: ChildLine) => {
      if (line.type === 'queued') queued.set(line.mutationId, line.text);
    };
    const startChild = (pauseAtEvent: number | null) => {
      const child = new ConsoleChild(
        { cachePath, relayUrl: stack.relayUrl, token: stack.token, clientId: 'crash-console', pauseAtEvent },
        onLine,
      );
      current.child = child;
      return child;
    };

    // Customers keep writing, each from a new number (the simulator paces sends per recipient), and
    // the live child is asked to answer the previous one, whether it is alive or being restarted.
    let trafficRunning = true;
    let customers = 0;
    const traffic = (async () => {
      let previous: string | null = null;
      while (trafficRunning) {
        const waId = `5939922${String(++customers).padStart(5, '0')}`;
        const { wamid, status } = await stack.simulator.sendInboundText({
          from: waId,
          text: `pedido ${customers}`,
        });
        expect(status).toBe(200);
        const conversation = conversationId(STACK_PHONE_NUMBER_ID, waId);
        inbound.set(wamid, conversation);
        if (previous && current.child?.alive)
          current.child.send({ cmd: 'reply', conversationId: previous, text: `respuesta a ${previous}` });
        previous = conversation;
        await sleep(20 + random() * 80);
      }
    })();

    // Half the kills inside an apply transaction, half at a random moment, in a seeded order.
    const kinds: string[] = Array.from({ length: KILLS }, (_, i) =>
      i < KILLS / 2 ? 'in-transaction' : 'random',
    );
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [kinds[i], kinds[j]] = [kinds[j] as string, kinds[i] as string];
    }
    const killedInTransaction: number[] = [];
    for (const kind of kinds) {
      const running = startChild(kind === 'in-transaction' ? 1 + Math.floor(random() * 8) : null);
      if (kind === 'in-transaction') {
        const paused = await running.waitForLine((line) => line.type === 'paused');
        if (paused.type === 'paused') killedInTransaction.push(paused.applied);
      } else {
        await running.waitForLine((line) => line.type === 'ready');
        await sleep(50 + random() * 1200);
      }
      await running.kill();
      expect((await running.exited).signal).toBe('SIGKILL');
    }
    expect(killedInTransaction).toHaveLength(KILLS / 2);

    // Quiet down, then let one last child run until it has caught up and its outbox is empty.
    trafficRunning = false;
    await traffic;
    const last = startChild(null);
    await last.waitForLine((line) => line.type === 'ready');
    const reader = new Database(cachePath, { readonly: true });
    const cache = new CacheRepository(reader);
    await waitFor(
      'the last console to catch up and send everything',
      async () => {
        const before = await readRelayStream(stack.relayUrl, stack.token);
        const sentIds = new Set(stack.simulator.sends().map((send) => send.bizOpaqueCallbackData));
        const settled =
          cache.getCursor() === before.cursor &&
          cache.outbox.pending().length === 0 &&
          [...queued.keys()].every((id) => sentIds.has(id));
        if (!settled) return false;
        // Statuses of the last sends may still be on their way: settled means nothing new arrived.
        await sleep(300);
        const after = await readRelayStream(stack.relayUrl, stack.token);
        return after.cursor === before.cursor && cache.getCursor() === after.cursor;
      },
      60_000,
    );
    last.send({ cmd: 'close' });
    await last.waitForLine((line) => line.type === 'closed');
    await last.exited;

    const stream = await readRelayStream(stack.relayUrl, stack.token);
    const streamedInbound = stream.events.flatMap((e) =>
      e.type === 'message.upserted' && e.message.direction === 'in' ? [e.message.id] : [],
    );
    const rows = reader
      .prepare(`SELECT id, conversation_id FROM messages WHERE direction = 'in' ORDER BY id`)
      .all() as { id: string; conversation_id: string }[];

    // Every inbound message: sent by the simulator, streamed by the relay, cached once.
    expect(new Set(streamedInbound)).toEqual(new Set(inbound.keys()));
    expect(rows.map((row) => row.id).sort()).toEqual([...inbound.keys()].sort());
    // A page applied twice would have counted its messages twice.
    for (const conversation of new Set(inbound.values())) {
      expect(cache.getConversation(conversation)?.unreadCount, conversation).toBe(1);
    }
    expect(cache.getCursor()).toBe(stream.cursor);

    // Every reply the child queued reached Meta exactly once; nothing reached it twice.
    const sends = stack.simulator.sends();
    const sendIds = sends.map((send) => send.bizOpaqueCallbackData);
    expect(new Set(sendIds).size).toBe(sendIds.length);
    for (const [mutationId, text] of queued) {
      expect(
        sends.filter((send) => send.bizOpaqueCallbackData === mutationId).map((send) => send.text),
      ).toEqual([text]);
      expect(cache.getMessage(mutationId)).toMatchObject({ direction: 'out', text });
    }
    expect(cache.outbox.pending()).toEqual([]);
    expect(queued.size).toBeGreaterThan(0);
    console.log(
      `console-crash: ${inbound.size} inbound, ${queued.size} replies reported queued, ${sends.length} sends, kills inside a transaction after ${killedInTransaction.join(', ')} events`,
    );
    reader.close();
  },
);
