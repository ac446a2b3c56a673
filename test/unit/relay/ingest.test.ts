// Ingest against the real SQLite store (a file in a temp dir): what a webhook leaves in the log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WINDOW_MS } from '../../../src/shared/domain.ts';
import { relayEventSchema, type RelayEvent } from '../../../src/shared/protocol.ts';
import type { RelayStore } from '../../../src/relay/store/relay-store.ts';
import { openSqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';
import { ingestWebhook } from '../../../src/relay/webhook/ingest.ts';
import { normalizeWebhook, type NormalizedWebhook } from '../../../src/relay/webhook/normalize.ts';

const NOW = Date.UTC(2025, 10, 21, 12, 5);
let dir: string;
let store: RelayStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-ingest-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function ingest(name: string) {
  const raw = readFileSync(join(import.meta.dirname, '../../fixtures/webhooks', name));
  const result = normalizeWebhook(JSON.parse(raw.toString('utf8')));
  if (!result.ok) throw new Error(result.reason);
  return ingestWebhook(store, result.webhook, raw, NOW);
}

const logged = (): RelayEvent[] =>
  store.readEvents(0, 1000).map((event) => relayEventSchema.parse(JSON.parse(event.json)));

describe('ingestWebhook', () => {
  it('logs the message then its conversation, with the window running from Meta’s timestamp', () => {
    expect(ingest('text.json')).toMatchObject({ messagesAdded: 1, duplicates: 0, keptRaw: false });
    const [message, conversation] = logged();
    expect(message).toMatchObject({
      seq: 1,
      at: NOW,
      type: 'message.upserted',
      message: { status: 'received' },
    });
    expect(conversation).toMatchObject({
      seq: 2,
      type: 'conversation.upserted',
      conversation: {
        id: '420000000000001:5215512345678',
        lastInboundAt: 1763726400_000,
        windowExpiresAt: 1763726400_000 + WINDOW_MS,
        lastMessagePreview: 'Hola, ¿tienen la talla M en azul?',
      },
    });
  });

  it('adds no event for a duplicate delivery', () => {
    ingest('text.json');
    expect(ingest('text.json')).toMatchObject({ messagesAdded: 0, duplicates: 1 });
    expect(store.headSeq()).toBe(2);
  });

  it('does not let a system notice reopen the window', () => {
    ingest('text.json');
    ingest('system-no-contacts.json');
    const conversation = store.getConversation('420000000000001:5215512345678');
    expect(conversation).toMatchObject({
      lastInboundAt: 1763726400_000,
      lastMessagePreview: expect.stringContaining('cambió su número') as unknown,
    });
  });

  it('keys a username-only customer on the user id, with no number to send to', () => {
    ingest('username-contact.json');
    expect(store.getConversation('420000000000001:MX.1234567890123456789')?.customer).toEqual({
      key: 'MX.1234567890123456789',
      waId: null,
      userId: 'MX.1234567890123456789',
      name: 'Valentina',
    });
  });

  it('parks statuses of messages it does not know yet, and logs nothing for them', () => {
    expect(ingest('statuses.json')).toMatchObject({ statusesParked: 4, statusesApplied: 0 });
    expect(store.headSeq()).toBe(0);
    expect(store.takeParkedStatuses('wamid.out-1').map((s) => s.status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
  });

  it('commits nothing when a webhook cannot be applied whole', () => {
    const good = normalizeWebhook(
      JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/webhooks/two-changes.json'), 'utf8')),
    );
    if (!good.ok) throw new Error(good.reason);
    // The second message cannot be stored (its payload is not JSON-serializable): the first must not be either.
    const broken: NormalizedWebhook = {
      ...good.webhook,
      messages: [good.webhook.messages[0]!, { ...good.webhook.messages[1]!, payload: { n: 1n } }],
    };
    expect(() => ingestWebhook(store, broken, Buffer.from('{}'), NOW)).toThrow();
    expect(store.headSeq()).toBe(0);
    expect(store.getMessage('wamid.change-one')).toBeNull();
  });
});
