// The relay store keeps every field of a message: what consoles get in a snapshot or after a restart
// must be what the live events said, including a pacing wait.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../src/shared/domain.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';

const AT = Date.UTC(2026, 10, 21, 12, 0, 0);
let dir: string;
let store: SqliteRelayStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-store-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const conversation: Conversation = {
  id: '420000000000001:5215512345678',
  phoneNumberId: '420000000000001',
  customer: { key: '5215512345678', waId: '5215512345678', userId: null, name: 'Lucía' },
  status: 'open',
  assigneeId: null,
  lastInboundAt: AT,
  windowExpiresAt: AT + 24 * 60 * 60 * 1000,
  lastMessageAt: AT,
  lastMessagePreview: 'Hola',
  referral: null,
};

const waiting: Message = {
  id: 'mut_waiting_0001',
  conversationId: conversation.id,
  phoneNumberId: conversation.phoneNumberId,
  direction: 'out',
  type: 'text',
  text: 'Un momento, por favor',
  waMessageId: null,
  timestamp: AT,
  status: 'queued',
  statusAt: AT,
  error: null,
  pricing: null,
  authorId: 'agt_1',
  payload: null,
  media: null,
  context: { replyTo: 'wamid.quoted', forwarded: false, frequentlyForwarded: false },
  waitingUntil: AT + 4_000,
};

it('keeps a pacing wait with the message, and clears it when the message is saved again', () => {
  store.saveConversation(conversation);
  store.saveMessage(waiting);
  expect(store.getMessage(waiting.id)).toEqual(waiting);
  expect(store.listMessages(0, 10).map((row) => row.message)).toEqual([waiting]);

  const accepted: Message = { ...waiting, status: 'accepted', waMessageId: 'wamid.out-1', waitingUntil: null };
  store.saveMessage(accepted);
  expect(store.getMessage(waiting.id)).toEqual(accepted);
});
