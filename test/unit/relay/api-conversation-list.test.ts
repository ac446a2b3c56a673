// The conversation list's SQL against a real relay store file: the window filter's edges on the
// relay clock, visibility by number, and cursor paging through ties in last activity.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationListQuerySchema } from '../../../src/relay/api/api-schemas.ts';
import { listConversations } from '../../../src/relay/api/conversation-list.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';
import type { Agent, Conversation } from '../../../src/shared/domain.ts';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const HOUR = 60 * 60 * 1000;
const supervisor: Agent = { id: 'sup', name: 'Sup', role: 'supervisor', numbers: 'all' };

let dir: string;
let store: SqliteRelayStore;

function conversation(
  id: string,
  phoneNumberId: string,
  windowExpiresAt: number | null,
  lastMessageAt: number,
) {
  const value: Conversation = {
    id: `${phoneNumberId}:${id}`,
    phoneNumberId,
    customer: { key: id, waId: id, userId: null, name: null },
    status: 'open',
    assigneeId: null,
    lastInboundAt: windowExpiresAt === null ? null : windowExpiresAt - 24 * HOUR,
    windowExpiresAt,
    lastMessageAt,
    lastMessagePreview: '',
    referral: null,
  };
  store.saveConversation(value);
  return value.id;
}

const list = (query: Record<string, string>, agent: Agent = supervisor) =>
  listConversations(store, agent, conversationListQuerySchema.parse(query), NOW);
const ids = (query: Record<string, string>, agent?: Agent) =>
  list(query, agent).conversations.map((c) => c.id);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-conversation-list-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('listConversations', () => {
  it('splits windows at the relay clock: closed at expiry, expiring up to and including one hour', () => {
    const never = conversation('never', 'A', null, 1);
    const expired = conversation('expired', 'A', NOW, 2);
    const lastMs = conversation('last-ms', 'A', NOW + 1, 3);
    const hour = conversation('hour', 'A', NOW + HOUR, 4);
    const later = conversation('later', 'A', NOW + HOUR + 1, 5);
    expect(ids({ window: 'closed' })).toEqual([expired, never]);
    expect(ids({ window: 'expiring' })).toEqual([hour, lastMs]);
    expect(ids({ window: 'open' })).toEqual([later, hour, lastMs]);
  });

  it('shows an agent only the conversations of its numbers', () => {
    const a = conversation('a', 'A', null, 1);
    conversation('b', 'B', null, 2);
    const c = conversation('c', 'C', null, 3);
    const agent: Agent = { id: 'ag', name: 'Ag', role: 'agent', numbers: ['A', 'C'] };
    expect(ids({}, agent)).toEqual([c, a]);
    expect(ids({ phoneNumberId: 'B' }, agent)).toEqual([]);
    expect(ids({}, { ...agent, numbers: 'all' })).toHaveLength(3);
  });

  it('pages through equal last activity by id, never repeating or skipping', () => {
    const created = ['p', 'q', 'r', 's', 't'].map((id) => conversation(id, 'A', null, 7));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = list({ limit: '2', ...(cursor === null ? {} : { cursor }) });
      seen.push(...page.conversations.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([...created].reverse());
  });
});
