// Snapshot frames from a real SQLite store: only what the agent may see, every row once, numbers and
// templates before conversations before messages, every frame under the budget and valid protocol.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent, Conversation, Message } from '../../../src/shared/domain.ts';
import { parseFrame, serverFrameSchema, type ServerFrame } from '../../../src/shared/protocol.ts';
import {
  SNAPSHOT_ALERTS,
  SNAPSHOT_PAGE_SIZE,
  snapshotFrames,
} from '../../../src/relay/sync/snapshot-frames.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';
import { createNoteStore, type NoteStore } from '../../../src/relay/team/note-store.ts';
import { createQuickReplyStore, type QuickReplyStore } from '../../../src/relay/team/quick-reply-store.ts';

const AT = Date.UTC(2026, 10, 21, 12, 0, 0);
let dir: string;
let store: SqliteRelayStore;
let notes: NoteStore;
let quickReplies: QuickReplyStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-snapshot-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
  notes = createNoteStore(store.database);
  quickReplies = createQuickReplyStore(store.database);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const agentOfA: Agent = { id: 'agt_a', name: 'A', role: 'agent', numbers: ['A'] };
const supervisor: Agent = { id: 'agt_s', name: 'S', role: 'supervisor', numbers: [] };
const admin: Agent = { id: 'agt_x', name: 'X', role: 'admin', numbers: 'all' };

function conversation(number: string, customer: string): Conversation {
  return {
    id: `${number}:${customer}`,
    phoneNumberId: number,
    customer: { key: customer, waId: customer, userId: null, name: null },
    status: 'open',
    assigneeId: null,
    lastInboundAt: AT,
    windowExpiresAt: AT + 24 * 60 * 60 * 1000,
    lastMessageAt: AT,
    lastMessagePreview: 'hola',
    referral: null,
  };
}

function message(c: Conversation, id: string, text: string): Message {
  return {
    id,
    conversationId: c.id,
    phoneNumberId: c.phoneNumberId,
    direction: 'in',
    type: 'text',
    text,
    waMessageId: id,
    timestamp: AT,
    status: 'received',
    statusAt: null,
    error: null,
    pricing: null,
    authorId: null,
    payload: null,
    media: null,
    context: null,
    waitingUntil: null,
  };
}

/** Conversations on numbers A and B, `perConversation` messages each. */
function fill(customers: number, perConversation: number, text = 'hola'): void {
  store.transaction(() => {
    for (let i = 0; i < customers; i++) {
      for (const number of ['A', 'B']) {
        const c = conversation(number, `52155${String(i).padStart(6, '0')}`);
        store.saveConversation(c);
        for (let j = 0; j < perConversation; j++)
          store.saveMessage(message(c, `wamid.${number}.${i}.${j}`, text));
      }
    }
    for (const id of ['A', 'B'])
      store.savePhoneNumber({
        id,
        displayPhoneNumber: `+52 ${id}`,
        qualityEvent: null,
        messagingLimit: null,
        updatedAt: AT,
      });
    store.saveTemplate({
      key: 'bienvenida:es',
      id: '1',
      name: 'bienvenida',
      language: 'es',
      status: 'APPROVED',
      category: 'UTILITY',
      quality: null,
      reason: null,
      updatedAt: AT,
      parameterFormat: null,
      components: [],
    });
  });
}

function framesFor(
  agent: Agent,
  budget?: number,
): { frames: Extract<ServerFrame, { type: 'snapshot' }>[]; bytes: number[] } {
  const texts = [...snapshotFrames({ store, notes, quickReplies }, agent, budget)];
  const frames = texts.map((text) => {
    const parsed = parseFrame(serverFrameSchema, text);
    if (!parsed.ok || parsed.frame.type !== 'snapshot')
      throw new Error(`not a snapshot frame: ${text.slice(0, 200)}`);
    return parsed.frame;
  });
  return { frames, bytes: texts.map((text) => Buffer.byteLength(text)) };
}

describe('snapshotFrames', () => {
  it('holds exactly what the agent may see, each row once, across store pages', () => {
    const customers = SNAPSHOT_PAGE_SIZE + 20; // more conversations per number than one store page
    fill(customers, 1);
    const { frames } = framesFor(agentOfA);
    const conversations = frames.flatMap((f) => f.conversations);
    const messages = frames.flatMap((f) => f.messages);
    expect(conversations).toHaveLength(customers);
    expect(new Set(conversations.map((c) => c.id)).size).toBe(customers);
    expect(conversations.every((c) => c.phoneNumberId === 'A')).toBe(true);
    expect(messages).toHaveLength(customers);
    expect(messages.every((m) => m.phoneNumberId === 'A')).toBe(true);
    expect(frames.flatMap((f) => f.phoneNumbers).map((n) => n.id)).toEqual(['A']);
    expect(frames.flatMap((f) => f.templates).map((t) => t.key)).toEqual(['bienvenida:es']);

    const all = framesFor(supervisor).frames;
    expect(all.flatMap((f) => f.conversations)).toHaveLength(2 * customers);
    expect(all.flatMap((f) => f.messages)).toHaveLength(2 * customers);
    expect(
      all
        .flatMap((f) => f.phoneNumbers)
        .map((n) => n.id)
        .sort(),
    ).toEqual(['A', 'B']);
  });

  it('keeps every frame under the budget, conversations before their messages', () => {
    fill(30, 5, 'x'.repeat(300));
    const budget = 4096;
    const { frames, bytes } = framesFor(supervisor, budget);
    expect(frames.length).toBeGreaterThan(10);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(budget + 200);
    const order = frames.flatMap((f) => [
      ...f.phoneNumbers.map(() => 0),
      ...f.templates.map(() => 1),
      ...f.conversations.map(() => 2),
      ...f.messages.map(() => 3),
    ]);
    expect(order).toEqual([...order].sort());
    expect(frames.flatMap((f) => f.messages)).toHaveLength(2 * 30 * 5);
  });

  it('carries the newest alerts to admins only, so a rebuild does not forget them', () => {
    for (let i = 0; i < SNAPSHOT_ALERTS + 3; i++) {
      store.insertAlert({
        id: `alert-${i}`,
        kind: 'account_update',
        title: `ACCOUNT_UPDATE ${i}`,
        details: {},
        at: 1_000 + i,
      });
    }
    const alerts = framesFor(admin).frames.flatMap((f) => f.alerts);
    expect(alerts).toHaveLength(SNAPSHOT_ALERTS);
    expect(alerts[0]?.id).toBe('alert-3');
    expect(alerts.at(-1)?.id).toBe(`alert-${SNAPSHOT_ALERTS + 2}`);
    expect(framesFor(supervisor).frames.flatMap((f) => f.alerts)).toEqual([]);
    expect(framesFor(agentOfA).frames.flatMap((f) => f.alerts)).toEqual([]);
  });

  it('carries the notes of the conversations an agent sees, and the team quick replies to everyone', () => {
    fill(2, 1);
    const [ofA, ofB] = [conversation('A', '52155000000'), conversation('B', '52155000000')];
    notes.insert({
      id: 'note-a',
      conversationId: ofA.id,
      phoneNumberId: 'A',
      authorId: 'agt_s',
      text: 'VIP',
      at: AT,
    });
    notes.insert({
      id: 'note-b',
      conversationId: ofB.id,
      phoneNumberId: 'B',
      authorId: 'agt_s',
      text: 'Moroso',
      at: AT,
    });
    quickReplies.save(
      { id: 'qr-1', shortcut: 'envio', text: 'El envío tarda 3 días.', updatedAt: AT, updatedBy: 'agt_s' },
      'agt_s',
    );
    const ofAgentA = framesFor(agentOfA).frames;
    expect(ofAgentA.flatMap((f) => f.notes).map((n) => n.id)).toEqual(['note-a']);
    expect(ofAgentA.flatMap((f) => f.quickReplies).map((q) => q.shortcut)).toEqual(['envio']);
    expect(
      framesFor(supervisor)
        .frames.flatMap((f) => f.notes)
        .map((n) => n.id),
    ).toEqual(['note-a', 'note-b']);
  });

  it('sends nothing for an empty store', () => {
    expect(framesFor(supervisor).frames).toEqual([]);
  });
});
