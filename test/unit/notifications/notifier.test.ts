// The Notifier's decisions over a real cache file, written the way the sync client writes it
// (CacheRepository upserts, then onApplied), with the sync status driving live and catch-up.
import type { Database } from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheRepository } from '../../../src/main/cache/cache-repository.ts';
import { openCacheDatabase } from '../../../src/main/cache/open-cache.ts';
import { signedInAgentId } from '../../../src/main/notifications/agent-scope.ts';
import { Notifier, type NotifierOptions } from '../../../src/main/notifications/notifier.ts';
import { ManualClock } from '../../../src/shared/clock.ts';
import type { ConsoleEvent, ConsoleNotification, SyncState } from '../../../src/shared/console-api.ts';
import type { Conversation, Message } from '../../../src/shared/domain.ts';

const ME = 'agent-me';
const TEAMMATE = 'agent-teammate';
const NUMBER = '106540352242922';
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

let dir: string;
let db: Database;
let repo: CacheRepository;
let clock: ManualClock;
let events: ConsoleEvent[];
let scheduled: { task: () => void; ms: number }[];
let opened: Notifier[];
let nextMessage = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-notifier-'));
  db = openCacheDatabase(join(dir, 'cache.sqlite'));
  repo = new CacheRepository(db);
  repo.setAgent({ id: ME, name: 'Ana', role: 'agent', numbers: [NUMBER] });
  clock = new ManualClock(T0);
  events = [];
  scheduled = [];
  opened = [];
});

afterEach(() => {
  for (const notifier of opened) notifier.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(options: Partial<NotifierOptions> = {}): Notifier {
  const notifier = new Notifier({
    db,
    agentId: () => signedInAgentId(db),
    emit: (event) => events.push(event),
    clock,
    schedule: (task, ms) => {
      const entry = { task, ms };
      scheduled.push(entry);
      return () => scheduled.splice(scheduled.indexOf(entry), 1);
    },
    onError: (error) => {
      throw error;
    },
    ...options,
  });
  opened.push(notifier);
  return notifier;
}

function status(notifier: Notifier, state: SyncState): void {
  notifier.onSyncStatus({
    state,
    cursor: repo.getCursor(),
    headSeq: repo.getCursor(),
    offlineSince: null,
    error: null,
    clockOffsetMs: 0,
  });
}

/** A notifier that has finished its first catch-up over what the cache holds. */
function live(options: Partial<NotifierOptions> = {}): Notifier {
  const notifier = open(options);
  status(notifier, 'catching_up');
  status(notifier, 'connected');
  events.length = 0;
  return notifier;
}

function conversation(customer: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    id: `${NUMBER}:${customer}`,
    phoneNumberId: NUMBER,
    customer: { key: customer, waId: customer, userId: null, name: null },
    status: 'open',
    assigneeId: null,
    lastInboundAt: T0,
    windowExpiresAt: null,
    lastMessageAt: T0,
    lastMessagePreview: '',
    referral: null,
    ...extra,
  };
}

function inbound(customer: string, extra: Partial<Message> = {}): Message {
  return {
    id: `wamid.${++nextMessage}`,
    conversationId: `${NUMBER}:${customer}`,
    phoneNumberId: NUMBER,
    direction: 'in',
    type: 'text',
    text: `mensaje ${nextMessage}`,
    waMessageId: null,
    timestamp: T0 + nextMessage * 1000,
    status: 'received',
    statusAt: null,
    error: null,
    pricing: null,
    authorId: null,
    payload: null,
    media: null,
    context: null,
    waitingUntil: null,
    ...extra,
  };
}

/** Applies a batch the way the sync client does (one transaction, cursor moved), then tells the notifier. */
function apply(notifier: Notifier | null, writes: (Conversation | Message)[]): void {
  repo.transaction(() => {
    for (const write of writes) {
      if ('direction' in write) repo.upsertMessage(write);
      else repo.upsertConversation(write);
    }
    repo.setCursor(repo.getCursor() + writes.length);
  });
  notifier?.onApplied();
}

const shown = (): ConsoleNotification[] =>
  events.flatMap((event) => (event.type === 'notification' ? [event.notification] : []));
const unreadTotals = (): number[] =>
  events.flatMap((event) => (event.type === 'unread.changed' ? [event.unreadTotal] : []));

describe('Notifier while live', () => {
  it('announces a new inbound message once, titled with the customer, and never its replay', () => {
    const notifier = live();
    const message = inbound('5939911000001', { text: 'Hola, ¿abren mañana?' });
    const named = conversation('5939911000001', {
      customer: { key: '5939911000001', waId: '5939911000001', userId: null, name: 'Lucía' },
    });
    apply(notifier, [message, named]);
    expect(shown()).toEqual([{ title: 'Lucía', body: 'Hola, ¿abren mañana?', conversationId: named.id }]);

    apply(notifier, [message, named]);
    clock.advance(5000);
    apply(notifier, [message, named]);
    expect(shown()).toHaveLength(1);
  });

  it('names an unnamed customer by their formatted number', () => {
    const notifier = live();
    apply(notifier, [conversation('5491123456789'), inbound('5491123456789', { text: 'Hola' })]);
    expect(shown()[0]?.title).toBe('+54 9 11 2345 6789');
  });

  it('says what a message without text is, in the chosen language, and stays quiet for a removed reaction', () => {
    const notifier = live({ gapMs: 0 });
    apply(notifier, [conversation('c1')]);
    apply(notifier, [inbound('c1', { type: 'image', text: null })]);
    apply(notifier, [inbound('c1', { type: 'image', text: 'Esta, la del anuncio' })]);
    apply(notifier, [inbound('c1', { type: 'audio', text: null, payload: { voice: true } })]);
    apply(notifier, [inbound('c1', { type: 'reaction', text: '👍' })]);
    apply(notifier, [inbound('c1', { type: 'reaction', text: null })]);
    apply(notifier, [inbound('c1', { type: 'system', text: 'El cliente cambió de número' })]);
    apply(notifier, [inbound('c1', { type: 'carousel_reply', text: null })]);
    expect(shown().map((n) => n.body)).toEqual([
      '📷 Imagen',
      '📷 Esta, la del anuncio',
      '🎤 Nota de voz',
      'Reaccionó 👍',
      '❓ Mensaje',
    ]);

    events.length = 0;
    const english = live({ gapMs: 0, locale: 'en' });
    apply(english, [inbound('c1', { type: 'document', text: null })]);
    expect(shown().map((n) => n.body)).toEqual(['📄 Document']);
  });

  it("tells the agent about their own and unassigned conversations, never a teammate's", () => {
    const notifier = live({ gapMs: 0 });
    apply(notifier, [conversation('mine', { assigneeId: ME }), inbound('mine')]);
    apply(notifier, [conversation('queue'), inbound('queue')]);
    apply(notifier, [conversation('theirs', { assigneeId: TEAMMATE }), inbound('theirs')]);
    expect(shown().map((n) => n.conversationId)).toEqual([`${NUMBER}:mine`, `${NUMBER}:queue`]);

    // Handed over later: the old message stays history, the next one is news.
    apply(notifier, [conversation('theirs', { assigneeId: ME })]);
    expect(shown()).toHaveLength(2);
    apply(notifier, [inbound('theirs', { text: 'sigo aquí' })]);
    expect(shown().at(-1)).toMatchObject({ conversationId: `${NUMBER}:theirs`, body: 'sigo aquí' });
  });

  it('waits for the conversation row of a message that came without it', () => {
    const notifier = live();
    const early = inbound('late-row');
    apply(notifier, [early]);
    expect(shown()).toEqual([]);
    apply(notifier, [conversation('late-row')]);
    expect(shown()).toEqual([{ title: 'late-row', body: early.text, conversationId: `${NUMBER}:late-row` }]);
  });

  it('keeps to a few a second: a burst becomes one "N new messages" per conversation, many conversations one digest', () => {
    const notifier = live({ gapMs: 1000, maxPerFlush: 3 });
    apply(notifier, [conversation('c1'), inbound('c1', { text: 'primero' })]);
    expect(shown().map((n) => n.body)).toEqual(['primero']);

    for (let i = 0; i < 4; i++) apply(notifier, [inbound('c1')]);
    apply(notifier, [conversation('c2'), inbound('c2', { text: 'otro cliente' })]);
    expect(shown()).toHaveLength(1);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.ms).toBe(1000);
    clock.advance(1000);
    scheduled.shift()?.task();
    expect(shown().slice(1)).toEqual([
      { title: 'c1', body: '4 mensajes nuevos', conversationId: `${NUMBER}:c1` },
      { title: 'c2', body: 'otro cliente', conversationId: `${NUMBER}:c2` },
    ]);

    // Right after a showing, five conversations at once: one digest, not five.
    for (const customer of ['d1', 'd2', 'd3', 'd4', 'd5'])
      apply(notifier, [conversation(customer), inbound(customer)]);
    expect(shown()).toHaveLength(3);
    clock.advance(1000);
    scheduled.shift()?.task();
    expect(shown().slice(3)).toEqual([
      { title: 'Mensajes nuevos', body: '5 mensajes nuevos en 5 conversaciones', conversationId: null },
    ]);
  });

  it('still announces a message a little out of order, but not history older than the grace period', () => {
    const notifier = live({ gapMs: 0, graceMs: 60_000 });
    apply(notifier, [conversation('c1'), inbound('c1', { timestamp: T0 + 600_000 })]);
    apply(notifier, [inbound('c1', { timestamp: T0 + 590_000, text: 'llegó tarde' })]);
    apply(notifier, [inbound('c1', { timestamp: T0 + 100_000, text: 'historia' })]);
    expect(shown().map((n) => n.body)).toEqual(['mensaje ' + String(nextMessage - 2), 'llegó tarde']);
  });
});

describe('Notifier catching up', () => {
  it('says nothing per message while catching up, then ONE digest: 12 messages in 5 conversations', () => {
    const notifier = open();
    status(notifier, 'catching_up');
    status(notifier, 'connected');
    status(notifier, 'offline');
    status(notifier, 'connecting');
    status(notifier, 'catching_up');
    const customers = ['a', 'b', 'c', 'd', 'e'];
    for (let i = 0; i < 12; i++) {
      const customer = customers[i % customers.length] ?? 'a';
      apply(notifier, [conversation(customer), inbound(customer)]);
    }
    apply(notifier, [conversation('theirs', { assigneeId: TEAMMATE }), inbound('theirs')]);
    expect(shown()).toEqual([]);
    status(notifier, 'connected');
    expect(shown()).toEqual([
      { title: 'Mensajes nuevos', body: '12 mensajes nuevos en 5 conversaciones', conversationId: null },
    ]);
    status(notifier, 'connected');
    expect(shown()).toHaveLength(1);
  });

  it("sums up one conversation's catch-up as that conversation's notification", () => {
    const notifier = live();
    status(notifier, 'offline');
    status(notifier, 'catching_up');
    apply(notifier, [conversation('solo'), inbound('solo'), inbound('solo'), inbound('solo')]);
    status(notifier, 'connected');
    expect(shown()).toEqual([{ title: 'solo', body: '3 mensajes nuevos', conversationId: `${NUMBER}:solo` }]);
  });

  it('announces what arrived while the app was closed, and nothing it had shown before', () => {
    apply(null, [conversation('c1'), inbound('c1'), inbound('c1')]);
    const notifier = open();
    status(notifier, 'catching_up');
    apply(notifier, [inbound('c1', { text: 'mientras tanto' })]);
    status(notifier, 'connected');
    expect(shown()).toEqual([{ title: 'c1', body: 'mientras tanto', conversationId: `${NUMBER}:c1` }]);
  });

  it("treats a first sync into an empty cache as history: no digest of the agent's whole past", () => {
    const fresh = new CacheRepository(db);
    expect(fresh.getCursor()).toBe(0);
    const notifier = open();
    status(notifier, 'catching_up');
    for (const customer of ['a', 'b', 'c']) apply(notifier, [conversation(customer), inbound(customer)]);
    status(notifier, 'connected');
    expect(shown()).toEqual([]);
    apply(notifier, [inbound('a', { text: 'ahora sí' })]);
    expect(shown()).toEqual([{ title: 'a', body: 'ahora sí', conversationId: `${NUMBER}:a` }]);
  });

  it('does not announce the old rows a rebuild re-inserts, only what is new in it', () => {
    const history = [conversation('c1'), inbound('c1'), inbound('c1')];
    const notifier = live();
    apply(notifier, history);
    events.length = 0;
    status(notifier, 'catching_up');
    repo.transaction(() => repo.beginRebuild());
    notifier.onApplied();
    const fresh = inbound('c1', { text: 'nuevo tras el snapshot' });
    apply(notifier, [...history, fresh]);
    repo.transaction(() => repo.endRebuild());
    status(notifier, 'connected');
    expect(shown()).toEqual([
      { title: 'c1', body: 'nuevo tras el snapshot', conversationId: `${NUMBER}:c1` },
    ]);
  });

  it('puts what live showing still held into the digest when the connection drops', () => {
    const notifier = live({ gapMs: 1000 });
    apply(notifier, [conversation('c1'), inbound('c1')]);
    apply(notifier, [inbound('c1', { text: 'retenido' })]);
    expect(shown()).toHaveLength(1);
    status(notifier, 'offline');
    expect(scheduled).toEqual([]);
    status(notifier, 'catching_up');
    status(notifier, 'connected');
    expect(shown().slice(1)).toEqual([{ title: 'c1', body: 'retenido', conversationId: `${NUMBER}:c1` }]);
  });
});

describe('Notifier unread total', () => {
  it('tells the unread total whenever it changes, and only then', () => {
    apply(null, [conversation('c1'), inbound('c1')]);
    const notifier = open();
    status(notifier, 'catching_up');
    expect(unreadTotals()).toEqual([1]);
    apply(notifier, [conversation('c2', { assigneeId: TEAMMATE }), inbound('c2'), inbound('c2')]);
    status(notifier, 'connected');
    expect(unreadTotals()).toEqual([1, 3]);
    apply(notifier, [inbound('c1')]);
    expect(unreadTotals()).toEqual([1, 3, 4]);

    repo.clearUnread(`${NUMBER}:c1`);
    notifier.onApplied();
    notifier.onApplied();
    expect(unreadTotals()).toEqual([1, 3, 4, 2]);
  });
});
