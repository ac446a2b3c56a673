// The command runner's guarantees, on a real SQLite store, with handlers written to misbehave: one
// outcome per mutation id (also for refusals), a refusal or a crash inside a synchronous handler
// leaves none of its writes, an asynchronous handler is recorded as executing while it waits,
// shutdown leaves new commands unanswered, and startup settles what a crash broke off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/shared/clock.ts';
import type { Agent, Conversation, Message } from '../../../src/shared/domain.ts';
import type { Command, CommandResult } from '../../../src/shared/protocol.ts';
import { createAgentStore } from '../../../src/relay/agents/agent-store.ts';
import type { CommandContext } from '../../../src/relay/commands/command-context.ts';
import { CommandRefusal, done, refuse } from '../../../src/relay/commands/command-handler.ts';
import {
  createCommandRunner,
  settleInterruptedMutations,
} from '../../../src/relay/commands/command-runner.ts';
import { createGraphClient } from '../../../src/relay/graph/graph-client.ts';
import { createOutboundDispatcher } from '../../../src/relay/outbound/dispatcher.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';
import { createNoteStore } from '../../../src/relay/team/note-store.ts';
import { createQuickReplyStore } from '../../../src/relay/team/quick-reply-store.ts';
import { createTemplateSource } from '../../../src/relay/templates/template-source.ts';
import { createTemplateSync } from '../../../src/relay/templates/template-sync.ts';
import { createUploadTable } from '../../../src/relay/uploads/upload-table.ts';

let dir: string;
let store: SqliteRelayStore;
let context: CommandContext;
const clock = new ManualClock();

/** Nothing here reaches Graph: the address is never called. */
const NOWHERE = 'http://127.0.0.1:9';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-runner-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
  const logger = pino({ level: 'silent' });
  const graph = createGraphClient({ baseUrl: NOWHERE, version: 'v23.0', accessToken: 't', timeoutMs: 1000 });
  context = {
    store,
    graph,
    clock,
    logger,
    agents: createAgentStore(store.database),
    notes: createNoteStore(store.database),
    quickReplies: createQuickReplyStore(store.database),
    uploads: createUploadTable(store.database),
    outbound: createOutboundDispatcher({
      store,
      graph,
      uploader: null,
      clock,
      logger,
      numberMessagesPerSecond: 80,
    }),
    templates: createTemplateSync({
      store,
      clock,
      logger,
      source: createTemplateSource({
        baseUrl: NOWHERE,
        version: 'v23.0',
        accessToken: 't',
        wabaId: '1',
        timeoutMs: 1000,
      }),
    }),
  };
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ana: Agent = { id: 'agt_ana', name: 'Ana', role: 'agent', numbers: ['100'] };
const beto: Agent = { id: 'agt_beto', name: 'Beto', role: 'agent', numbers: ['100'] };
const CLOSE: Command = { kind: 'close', conversationId: '100:521' };
const READ: Command = { kind: 'mark_read', conversationId: '100:521', messageId: 'wamid.1' };

const conversation: Conversation = {
  id: '100:521',
  phoneNumberId: '100',
  customer: { key: '521', waId: '521', userId: null, name: null },
  status: 'open',
  assigneeId: null,
  lastInboundAt: null,
  windowExpiresAt: null,
  lastMessageAt: 0,
  lastMessagePreview: '',
  referral: null,
};

/** A write a handler makes, visible in the event log. */
const writeSomething = (): void => {
  store.saveConversation(conversation);
  store.appendEvent({ type: 'conversation.upserted', at: clock.now(), phoneNumberId: '100', conversation });
};

/** A promise the test settles, to hold an asynchronous handler mid-flight. */
function gate<T>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

async function answer(outcome: Promise<CommandResult> | null): Promise<CommandResult | null> {
  return outcome === null ? null : await outcome;
}

describe('synchronous handlers', () => {
  it('run once per mutation id: a replay gets the stored outcome', async () => {
    let calls = 0;
    const runner = createCommandRunner(context, {
      close: { mode: 'sync', handle: () => (calls++, writeSomething(), done('x')) },
    });
    expect(await answer(runner.run(ana, 'mut_00000001', CLOSE))).toEqual(done('x'));
    expect(await answer(runner.run(ana, 'mut_00000001', CLOSE))).toEqual(done('x'));
    expect(calls).toBe(1);
    expect(store.headSeq()).toBe(1);
    expect(store.getMutation('mut_00000001')).toMatchObject({ state: 'done', result: done('x') });
  });

  it('keep nothing a refusing handler wrote, whether it returned or threw the refusal', async () => {
    const runner = createCommandRunner(context, {
      close: { mode: 'sync', handle: () => (writeSomething(), refuse('NOPE', 'returned')) },
      reopen: {
        mode: 'sync',
        handle: () => {
          writeSomething();
          throw new CommandRefusal('NOPE', 'thrown');
        },
      },
    });
    expect(await answer(runner.run(ana, 'mut_00000001', CLOSE))).toEqual(refuse('NOPE', 'returned'));
    const reopen: Command = { kind: 'reopen', conversationId: '100:521' };
    expect(await answer(runner.run(ana, 'mut_00000002', reopen))).toEqual(refuse('NOPE', 'thrown'));
    expect(store.headSeq()).toBe(0);
    expect(store.getConversation(conversation.id)).toBeNull();
    // The refusals are outcomes: replays get them without running anything.
    expect(await answer(runner.run(ana, 'mut_00000002', reopen))).toEqual(refuse('NOPE', 'thrown'));
    expect(store.getMutation('mut_00000001')?.result).toEqual(refuse('NOPE', 'returned'));
  });

  it('answer a crash INTERNAL and store nothing, so the same mutation may be tried again', async () => {
    let calls = 0;
    const runner = createCommandRunner(context, {
      close: {
        mode: 'sync',
        handle: () => {
          calls++;
          writeSomething();
          if (calls === 1) throw new Error('disk on fire');
          return done(null);
        },
      },
    });
    expect(await answer(runner.run(ana, 'mut_00000001', CLOSE))).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringContaining('disk on fire') as unknown },
    });
    expect(store.getMutation('mut_00000001')).toBeNull();
    expect(store.headSeq()).toBe(0);
    expect(await answer(runner.run(ana, 'mut_00000001', CLOSE))).toEqual(done(null));
    expect(calls).toBe(2);
  });

  it('refuse a handler marked synchronous that returns a promise, keeping none of its writes', async () => {
    const runner = createCommandRunner(context, {
      close: { mode: 'sync', handle: () => (writeSomething(), Promise.resolve(done(null))) },
    });
    expect(await answer(runner.run(ana, 'mut_00000001', CLOSE))).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(store.headSeq()).toBe(0);
  });
});

describe('asynchronous handlers', () => {
  it('are recorded as executing while they wait, and a repeat meanwhile shares the same answer', async () => {
    const meta = gate<CommandResult>();
    let calls = 0;
    const runner = createCommandRunner(context, {
      mark_read: { mode: 'async', handle: () => (calls++, meta.promise) },
    });
    const first = runner.run(ana, 'mut_00000001', READ);
    const second = runner.run(ana, 'mut_00000001', READ);
    expect(store.getMutation('mut_00000001')).toMatchObject({ state: 'executing', result: null });
    meta.open(done('wamid.1'));
    expect(await answer(first)).toEqual(done('wamid.1'));
    expect(await answer(second)).toEqual(done('wamid.1'));
    expect(calls).toBe(1);
    expect(store.getMutation('mut_00000001')).toMatchObject({ state: 'done', result: done('wamid.1') });
  });

  it('store a refusal thrown after the wait, and an unexpected failure as INTERNAL', async () => {
    const runner = createCommandRunner(context, {
      mark_read: {
        mode: 'async',
        handle: async () => {
          await Promise.resolve();
          throw new CommandRefusal('META_REJECTED', 'no');
        },
      },
      sync_templates: {
        mode: 'async',
        handle: async () => {
          await Promise.resolve();
          throw new Error('boom');
        },
      },
    });
    expect(await answer(runner.run(ana, 'mut_00000001', READ))).toEqual(refuse('META_REJECTED', 'no'));
    expect(await answer(runner.run(ana, 'mut_00000002', { kind: 'sync_templates' }))).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(store.getMutation('mut_00000002')).toMatchObject({ state: 'done', result: { ok: false } });
  });
});

describe('the runner', () => {
  it('answers a kind without a handler NOT_SUPPORTED, and the same on replay', async () => {
    const runner = createCommandRunner(context, {});
    const expected = { ok: false, error: { code: 'NOT_SUPPORTED', message: expect.any(String) as unknown } };
    expect(await answer(runner.run(ana, 'mut_00000001', CLOSE))).toEqual(expected);
    expect(store.getMutation('mut_00000001')?.result).toEqual(expected);
  });

  it("refuses another agent's mutation id without running anything", async () => {
    let calls = 0;
    const runner = createCommandRunner(context, {
      close: { mode: 'sync', handle: () => (calls++, done(null)) },
    });
    await answer(runner.run(ana, 'mut_00000001', CLOSE));
    expect(await answer(runner.run(beto, 'mut_00000001', CLOSE))).toMatchObject({
      ok: false,
      error: { code: 'MUTATION_ID_TAKEN' },
    });
    expect(calls).toBe(1);
  });

  it('leaves commands unanswered once draining, after the ones in flight have finished', async () => {
    const meta = gate<CommandResult>();
    const runner = createCommandRunner(context, { mark_read: { mode: 'async', handle: () => meta.promise } });
    const inFlight = runner.run(ana, 'mut_00000001', READ);
    let drained = false;
    const draining = runner.drain().then(() => (drained = true));
    expect(runner.run(ana, 'mut_00000002', READ)).toBeNull();
    // Every pending callback runs before setImmediate's: a drain that did not wait would be done.
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    meta.open(done(null));
    await draining;
    expect(await answer(inFlight)).toEqual(done(null));
    expect(store.getMutation('mut_00000002')).toBeNull();
  });
});

describe('startup after a crash', () => {
  it('answers INTERRUPTED for a command cut while waiting, and leaves it unanswered until then', async () => {
    store.insertMutation({
      mutationId: 'mut_00000001',
      agentId: ana.id,
      state: 'executing',
      result: null,
      createdAt: 0,
    });
    const runner = createCommandRunner(context);
    expect(runner.run(ana, 'mut_00000001', READ)).toBeNull();

    expect(settleInterruptedMutations(context)).toBe(1);
    expect(await answer(runner.run(ana, 'mut_00000001', READ))).toMatchObject({
      ok: false,
      error: { code: 'INTERRUPTED' },
    });
    expect(settleInterruptedMutations(context)).toBe(0);
  });

  it('marks a message an older relay left queued as unknown, never to be resent', () => {
    store.saveConversation(conversation);
    const message: Message = {
      id: 'mut_00000001',
      conversationId: conversation.id,
      phoneNumberId: '100',
      direction: 'out',
      type: 'text',
      text: 'hola',
      waMessageId: null,
      timestamp: 0,
      status: 'queued',
      statusAt: 0,
      error: null,
      pricing: null,
      authorId: ana.id,
      payload: null,
      media: null,
      context: null,
      waitingUntil: null,
    };
    store.saveMessage(message);
    store.insertMutation({
      mutationId: message.id,
      agentId: ana.id,
      state: 'executing',
      result: null,
      createdAt: 0,
    });
    settleInterruptedMutations(context);
    expect(store.getMessage(message.id)?.status).toBe('unknown');
    expect(store.getMutation(message.id)?.result).toEqual(done(message.id));
    expect(store.readEvents(0, 10).map((event) => event.type)).toEqual(['message.upserted']);
  });
});
