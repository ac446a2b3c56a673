// Ingest against the real SQLite store (a file in a temp dir): what each webhook shape leaves in the
// relay's state and its event log, and what a duplicate delivery leaves (nothing).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WINDOW_MS, type Conversation, type Message } from '../../../src/shared/domain.ts';
import { relayEventSchema, type RelayEvent } from '../../../src/shared/protocol.ts';
import { applyParkedStatuses } from '../../../src/relay/messages/message-log.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';
import { ingestWebhook } from '../../../src/relay/webhook/ingest.ts';
import { normalizeWebhook, type NormalizedWebhook } from '../../../src/relay/webhook/normalize.ts';

const NOW = Date.UTC(2025, 10, 21, 12, 5);
const NUMBER_A = '420000000000001';
const LUCIA = `${NUMBER_A}:5215512345678`;
let dir: string;
let store: SqliteRelayStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-ingest-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const raw = (name: string): Buffer =>
  readFileSync(join(import.meta.dirname, '../../fixtures/webhooks', name));

function ingestBody(body: Buffer, now = NOW) {
  const result = normalizeWebhook(JSON.parse(body.toString('utf8')));
  if (!result.ok) throw new Error(result.reason);
  return ingestWebhook(store, result.webhook, body, now);
}
const ingest = (name: string, now = NOW) => ingestBody(raw(name), now);

const logged = (afterSeq = 0): RelayEvent[] =>
  store.readEvents(afterSeq, 1000).map((event) => relayEventSchema.parse(JSON.parse(event.json)));
const loggedTypes = (afterSeq = 0) => logged(afterSeq).map((event) => event.type);
const count = (table: string): number =>
  store.database.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;

/** An outbound message as the command runner leaves it before Meta answers (or after, with its wamid). */
function outbound(id: string, waMessageId: string | null, conversation = LUCIA): Message {
  if (store.getConversation(conversation) === null) ingest('text.json');
  const message: Message = {
    id,
    conversationId: conversation,
    phoneNumberId: NUMBER_A,
    direction: 'out',
    type: 'text',
    text: 'Sí, la tenemos',
    waMessageId,
    timestamp: NOW,
    status: waMessageId === null ? 'queued' : 'accepted',
    statusAt: NOW,
    error: null,
    pricing: null,
    authorId: 'agt_1',
    payload: null,
    media: null,
    context: null,
    waitingUntil: null,
  };
  store.saveMessage(message);
  return message;
}

/** A statuses webhook for number A (no tracker unless given). */
function statusBody(statuses: Record<string, unknown>[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '310000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '5215550001111', phone_number_id: NUMBER_A },
                statuses: statuses.map((s, i) => ({
                  timestamp: String(1763727000 + i),
                  recipient_id: '5215512345678',
                  ...s,
                })),
              },
            },
          ],
        },
      ],
    }),
  );
}

describe('ingestWebhook: inbound messages', () => {
  it('logs the business number, the message, then its conversation, with the window from Meta’s timestamp', () => {
    expect(ingest('text.json')).toMatchObject({ messagesAdded: 1, duplicates: 0, keptRaw: false });
    const [number, message, conversation] = logged();
    expect(number).toMatchObject({
      seq: 1,
      type: 'phone_number.upserted',
      phoneNumberId: NUMBER_A,
      phoneNumber: { id: NUMBER_A, displayPhoneNumber: '5215550001111', qualityEvent: null },
    });
    expect(message).toMatchObject({
      seq: 2,
      at: NOW,
      type: 'message.upserted',
      message: { status: 'received', media: null, context: null },
    });
    expect(conversation).toMatchObject({
      seq: 3,
      type: 'conversation.upserted',
      conversation: {
        id: LUCIA,
        lastInboundAt: 1763726400_000,
        windowExpiresAt: 1763726400_000 + WINDOW_MS,
        lastMessagePreview: 'Hola, ¿tienen la talla M en azul?',
        referral: null,
      },
    });
  });

  it('stores a duplicate delivery once and logs nothing for it', () => {
    ingest('text.json');
    expect(ingest('text.json')).toMatchObject({ messagesAdded: 0, duplicates: 1, phoneNumbersUpdated: 0 });
    expect(store.headSeq()).toBe(3);
    expect(count('messages')).toBe(1);
  });

  it('stores each message of a batch, across entries and numbers', () => {
    expect(ingest('batch-entries.json')).toMatchObject({ messagesAdded: 2, templatesUpdated: 1 });
    expect(store.getConversation('420000000000002:5215566667777')).toMatchObject({
      lastMessagePreview: 'Sigo aquí',
      customer: { name: 'Diego Herrera' },
    });
  });

  it('keeps one conversation per business number for the same customer', () => {
    const body = raw('text.json')
      .toString('utf8')
      .replaceAll('420000000000001', '420000000000002')
      .replace('wamid.HBgN', 'wamid.other-number-HBgN');
    ingest('text.json');
    ingestBody(Buffer.from(body));
    expect(store.listConversations(null, 10).map((c) => c.id)).toEqual([
      LUCIA,
      '420000000000002:5215512345678',
    ]);
  });

  it('keeps media to download as pending on the message', () => {
    ingest('message-document-reply.json');
    expect(store.getMessage('wamid.document-1')).toMatchObject({
      type: 'document',
      text: 'Mi factura',
      media: {
        id: '1180000000000004',
        mimeType: 'application/pdf',
        filename: 'factura-0042.pdf',
        state: 'pending',
        error: null,
      },
      context: { replyTo: 'wamid.out-quoted-1', forwarded: false, frequentlyForwarded: false },
    });
  });

  it.each([
    'message-image.json',
    'message-audio-voice.json',
    'message-video-forwarded.json',
    'message-sticker-animated.json',
    'message-location.json',
    'message-contacts.json',
    'message-interactive-list.json',
    'message-interactive-flow.json',
    'message-interactive-without-object.json',
    'numeric-timestamp.json',
    'message-button.json',
    'message-reaction.json',
    'message-reaction-removed.json',
    'message-order.json',
    'message-referral.json',
    'message-revoke.json',
    'message-edit.json',
    'unknown-types.json',
  ])('opens the 24-hour window for a customer message: %s', (file) => {
    const webhook = normalizeWebhook(JSON.parse(raw(file).toString('utf8')));
    if (!webhook.ok) throw new Error(webhook.reason);
    const latest = Math.max(...webhook.webhook.messages.map((m) => m.timestamp));
    ingest(file);
    const [conversation] = store.listConversations(null, 10);
    expect(conversation).toMatchObject({
      status: 'open',
      lastInboundAt: latest,
      windowExpiresAt: latest + WINDOW_MS,
    });
    expect(count('messages')).toBe(webhook.webhook.messages.length);
  });

  it('does not let a system notice open or refresh the window', () => {
    ingest('text.json');
    ingest('system-no-contacts.json');
    ingest('message-system-identity.json');
    expect(store.getConversation(LUCIA)).toMatchObject({
      lastInboundAt: 1763726400_000,
      lastMessagePreview: 'La clave de seguridad de Lucía cambió',
    });
  });

  it('shows a reaction in the list, and leaves the list line alone when a reaction is removed', () => {
    ingest('message-reaction.json');
    expect(store.getConversation(LUCIA)?.lastMessagePreview).toBe('👍');
    ingest('message-reaction-removed.json');
    expect(store.getConversation(LUCIA)).toMatchObject({
      lastMessagePreview: '👍',
      lastMessageAt: 1763727110_000,
      lastInboundAt: 1763727121_000,
    });
    expect(store.getMessage('wamid.reaction-3')).toMatchObject({ type: 'reaction', text: null });
  });

  it('never moves the window or the list line back for a message that arrives late', () => {
    ingest('message-edit.json');
    ingest('text.json');
    expect(store.getConversation(LUCIA)).toMatchObject({
      lastInboundAt: 1763727170_000,
      lastMessagePreview: '✏️ Hola, ¿tienen la talla L en azul?',
    });
  });

  it('notes the referral of an ad on the conversation (the free entry point)', () => {
    ingest('message-referral.json');
    expect(store.getConversation(`${NUMBER_A}:5215533334444`)?.referral).toMatchObject({
      sourceType: 'ad',
      sourceId: '120200000000000001',
      ctwaClid: expect.stringMatching(/^ARAk/) as unknown,
      at: 1763727150_000,
    });
    // A later message without a referral keeps it.
    ingest('message-image.json');
    expect(store.getConversation(`${NUMBER_A}:5215533334444`)?.referral?.sourceId).toBe('120200000000000001');
  });

  it('keys a username-only customer on the user id, with no number to send to', () => {
    ingest('username-contact.json');
    expect(store.getConversation(`${NUMBER_A}:MX.1234567890123456789`)?.customer).toEqual({
      key: 'MX.1234567890123456789',
      waId: null,
      userId: 'MX.1234567890123456789',
      name: 'Valentina',
    });
  });

  it('keeps a username customer in one conversation once their phone number is revealed', () => {
    ingest('message-user-id-only.json');
    ingest('message-user-id-then-wa-id.json');
    const conversations = store.listConversations(null, 10);
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({
      id: `${NUMBER_A}:MX.5550001112223334445`,
      customer: { key: 'MX.5550001112223334445', waId: '5215577778888', userId: 'MX.5550001112223334445' },
      lastMessagePreview: 'Ya con mi número',
    });
  });

  it('keeps a phone customer in one conversation when they later write by username only', () => {
    ingest('message-user-id-then-wa-id.json');
    ingest('message-user-id-only.json');
    expect(store.listConversations(null, 10).map((c) => c.id)).toEqual([`${NUMBER_A}:5215577778888`]);
  });

  it('commits nothing when a webhook cannot be applied whole', () => {
    const good = normalizeWebhook(JSON.parse(raw('two-changes.json').toString('utf8')));
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

describe('ingestWebhook: statuses', () => {
  it('parks statuses of messages it does not know yet, once each, and logs nothing for them', () => {
    ingest('statuses.json');
    expect(ingest('statuses.json')).toMatchObject({ statusesParked: 4, statusesApplied: 0 });
    expect(loggedTypes()).toEqual(['phone_number.upserted']);
    expect(count('pending_statuses')).toBe(4);
    expect(store.takeParkedStatuses('wamid.out-1').map((s) => s.status)).toEqual([
      'sent',
      'delivered',
      'read',
    ]);
  });

  it('applies statuses that came before the send’s answer once the wamid is known', () => {
    const queued = outbound('mut_early_0001', null);
    ingestBody(
      statusBody([
        { id: 'wamid.early', status: 'delivered', pricing: { billable: false, category: 'service' } },
        { id: 'wamid.early', status: 'sent' },
      ]),
    );
    expect(store.getMessage('mut_early_0001')).toMatchObject({ status: 'queued', waMessageId: null });
    const before = store.headSeq();
    // Meta's answer reveals the wamid (what the command runner does when the send returns).
    const accepted = { ...queued, waMessageId: 'wamid.early', status: 'accepted' as const };
    store.transaction(() => {
      store.saveMessage(accepted);
      applyParkedStatuses(store, accepted, NOW);
    });
    expect(store.getMessage('mut_early_0001')).toMatchObject({
      status: 'delivered',
      waMessageId: 'wamid.early',
      pricing: { billable: false, category: 'service' },
    });
    expect(loggedTypes(before)).toEqual(['message.upserted']);
    expect(count('pending_statuses')).toBe(0);
  });

  it('finds a message by its tracker before the wamid is known', () => {
    outbound('mut_tracked_001', null);
    ingestBody(
      statusBody([{ id: 'wamid.tracked', status: 'sent', biz_opaque_callback_data: 'mut_tracked_001' }]),
    );
    expect(store.getMessage('mut_tracked_001')).toMatchObject({
      status: 'sent',
      waMessageId: 'wamid.tracked',
    });
  });

  it('only moves statuses forward, whatever order they arrive in, and adds no event for a stale one', () => {
    outbound('mut_order_0001', 'wamid.order');
    ingestBody(statusBody([{ id: 'wamid.order', status: 'read' }]));
    const afterRead = store.headSeq();
    const pricing = {
      billable: false,
      pricing_model: 'PMP',
      type: 'free_customer_service',
      category: 'service',
    };
    ingestBody(statusBody([{ id: 'wamid.order', status: 'delivered', pricing }]));
    ingestBody(statusBody([{ id: 'wamid.order', status: 'sent' }]));
    expect(store.getMessage('mut_order_0001')).toMatchObject({
      status: 'read',
      pricing: { billable: false, category: 'service', type: 'free_customer_service', model: 'PMP' },
    });
    // The late delivered filled the pricing (one event); the late sent changed nothing.
    expect(loggedTypes(afterRead)).toEqual(['message.upserted']);
  });

  it('records a failure with Meta’s error, and lets a later delivery override it', () => {
    outbound('mut_failed_001', 'wamid.out-media-1');
    ingest('status-failed-minimal.json');
    expect(store.getMessage('mut_failed_001')).toMatchObject({
      status: 'failed',
      error: { code: 131053, title: 'Media upload error' },
    });
    ingestBody(statusBody([{ id: 'wamid.out-media-1', status: 'delivered' }]));
    expect(store.getMessage('mut_failed_001')).toMatchObject({ status: 'delivered', error: null });
  });

  it('applies played after read (a voice message listened to)', () => {
    outbound('mut_voice_0001', 'wamid.out-voice-1');
    ingestBody(statusBody([{ id: 'wamid.out-voice-1', status: 'read' }]));
    ingest('status-played.json');
    expect(store.getMessage('mut_voice_0001')?.status).toBe('played');
  });

  it('adds no event when the same status is delivered twice', () => {
    outbound('mut_twice_0001', 'wamid.twice');
    const body = statusBody([{ id: 'wamid.twice', status: 'delivered' }]);
    ingestBody(body);
    const head = store.headSeq();
    expect(ingestBody(body)).toMatchObject({ statusesApplied: 0, statusesIgnored: 1 });
    expect(store.headSeq()).toBe(head);
  });

  it('learns the customer’s user id from a status, so a later username-only message joins the conversation', () => {
    ingest('text.json');
    outbound('mut_username_0001', 'wamid.out-username-1');
    ingest('status-username-recipient.json');
    expect(store.getConversation(LUCIA)?.customer.userId).toBe('MX.1234567890123456789');
    expect(store.getMessage('mut_username_0001')).toMatchObject({
      status: 'delivered',
      pricing: { billable: true, category: 'marketing', type: 'regular', model: 'PMP' },
    });
    ingest('username-contact.json');
    expect(store.listConversations(null, 10).map((c) => c.id)).toEqual([LUCIA]);
    expect(store.getMessage('wamid.username-1')?.conversationId).toBe(LUCIA);
  });
});

describe('ingestWebhook: templates, numbers, alerts and what is kept raw', () => {
  it('upserts a template per name and language, merging status, category and quality updates', () => {
    ingest('template-status-update.json');
    ingest('template-category-update.json');
    ingest('template-quality-update.json');
    expect(store.listTemplates()).toEqual([
      {
        key: 'confirmacion_pedido:es_MX',
        id: '987654321',
        name: 'confirmacion_pedido',
        language: 'es_MX',
        status: 'APPROVED',
        category: 'MARKETING',
        quality: 'YELLOW',
        reason: null,
        updatedAt: 1763727500_000,
        parameterFormat: null,
        components: [],
      },
    ]);
    const events = logged();
    expect(events.map((e) => [e.type, e.phoneNumberId])).toEqual([
      ['template.upserted', null],
      ['template.upserted', null],
      ['template.upserted', null],
    ]);
  });

  it('never lets an older template update undo a newer one, and logs nothing for a duplicate', () => {
    ingest('template-category-update.json'); // newer (Meta's time), the template was not known yet
    expect(store.getTemplate('confirmacion_pedido:es_MX')).toMatchObject({ status: 'UNKNOWN' });
    ingest('template-status-update.json'); // older: fills the status, keeps the category
    expect(store.getTemplate('confirmacion_pedido:es_MX')).toMatchObject({
      status: 'APPROVED',
      category: 'MARKETING',
      updatedAt: 1763727400_000,
    });
    const head = store.headSeq();
    expect(ingest('template-status-update.json')).toMatchObject({ templatesUpdated: 0 });
    expect(store.headSeq()).toBe(head);
  });

  it('keeps the reason of a rejection', () => {
    ingest('template-status-rejected.json');
    expect(store.getTemplate('oferta_fin_de_semana:es_MX')).toMatchObject({
      status: 'REJECTED',
      category: 'MARKETING',
      reason: 'Dos variables seguidas sin texto entre ellas.',
    });
  });

  it('updates a known business number’s quality, found by its display number', () => {
    ingest('text.json');
    expect(ingest('phone-number-quality-update.json')).toMatchObject({
      phoneNumbersUpdated: 1,
      keptRaw: false,
    });
    expect(store.listPhoneNumbers()).toEqual([
      {
        id: NUMBER_A,
        displayPhoneNumber: '5215550001111',
        qualityEvent: 'FLAGGED',
        messagingLimit: 'TIER_2K',
        updatedAt: NOW,
      },
    ]);
    expect(logged().at(-1)).toMatchObject({ type: 'phone_number.upserted', phoneNumberId: NUMBER_A });
  });

  it('keeps a quality update for a number it has not seen raw, for admins', () => {
    expect(ingest('phone-number-quality-update.json')).toMatchObject({ keptRaw: true });
    expect(store.listPhoneNumbers()).toEqual([]);
    expect(logged()).toEqual([
      expect.objectContaining({
        type: 'alert.raised',
        alert: expect.objectContaining({
          kind: 'unrecognized_webhook',
          details: expect.objectContaining({
            reason: expect.stringContaining('phone_number_quality_update for 5215550001111') as unknown,
          }) as unknown,
        }) as unknown,
      }),
    ]);
  });

  it('raises an account update as an alert, once per delivery', () => {
    expect(ingest('account-update.json')).toMatchObject({ alertsRaised: 1 });
    expect(ingest('account-update.json')).toMatchObject({ alertsRaised: 0 });
    expect(logged()).toEqual([
      {
        seq: 1,
        at: NOW,
        phoneNumberId: null,
        type: 'alert.raised',
        alert: {
          id: expect.stringMatching(/^account_update:/) as unknown,
          kind: 'account_update',
          title: 'ACCOUNT_RESTRICTION',
          details: expect.objectContaining({ event: 'ACCOUNT_RESTRICTION' }) as unknown,
          at: NOW,
        },
      },
    ]);
  });

  it('raises the errors Meta reports on a whole delivery as alerts of their number', () => {
    ingest('value-errors.json');
    expect(logged().filter((e) => e.type === 'alert.raised')).toEqual([
      expect.objectContaining({
        phoneNumberId: NUMBER_A,
        alert: expect.objectContaining({ kind: 'webhook_error', title: 'Rate limit hit' }) as unknown,
      }),
    ]);
  });

  it('keeps a body with a field it does not apply raw, with an alert naming the row, once', () => {
    const body = raw('field-user-preferences.json');
    expect(ingestBody(body)).toMatchObject({ keptRaw: true });
    expect(ingestBody(body)).toMatchObject({ keptRaw: true });
    const rows = store.database
      .prepare<[], { id: number; body: Buffer; reason: string }>(
        'SELECT id, body, reason FROM unrecognized_webhooks',
      )
      .all();
    expect(rows).toEqual([
      { id: 1, body, reason: 'entry[0].changes[0]: field "user_preferences" is not applied' },
    ]);
    expect(logged()).toEqual([
      expect.objectContaining({
        type: 'alert.raised',
        phoneNumberId: null,
        alert: expect.objectContaining({
          id: 'unrecognized_webhook:1',
          kind: 'unrecognized_webhook',
          details: expect.objectContaining({
            unrecognizedWebhookId: 1,
            table: 'unrecognized_webhooks',
          }) as unknown,
        }) as unknown,
      }),
    ]);
  });

  it('applies the parts it knows of a body and keeps the whole body raw for the rest', () => {
    outbound('mut_partial_001', 'wamid.out-1');
    expect(ingest('status-unknown-name.json')).toMatchObject({ statusesApplied: 1, keptRaw: true });
    expect(store.getMessage('mut_partial_001')?.status).toBe('sent');
    expect(count('unrecognized_webhooks')).toBe(1);
  });

  it('keeps the catalog across a reopen of the database', () => {
    ingest('text.json');
    ingest('template-status-rejected.json');
    ingest('message-referral.json');
    store.close();
    store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
    expect(store.listTemplates().map((t) => t.key)).toEqual(['oferta_fin_de_semana:es_MX']);
    expect(store.listPhoneNumbers().map((p) => p.id)).toEqual([NUMBER_A]);
    expect(store.getConversation(`${NUMBER_A}:5215533334444`)?.referral?.headline).toBe('Camisas 2x1');
    const db = new Database(join(dir, 'relay.sqlite'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
    db.close();
  });
});

describe('store reads for snapshots', () => {
  it('pages conversations by id and messages by rowid', () => {
    ingest('two-changes.json');
    ingest('text.json');
    ingest('message-location.json');
    const first = store.listConversations(null, 2);
    expect(first.map((c) => c.id)).toEqual([`${NUMBER_A}:5215512345678`, `${NUMBER_A}:5215522223333`]);
    const rest = store.listConversations(first.at(-1)!.id, 10);
    expect(rest.map((c: Conversation) => c.id)).toEqual([
      `${NUMBER_A}:5215566667777`,
      '420000000000002:5215544445555',
    ]);
    const page = store.listMessages(0, 3);
    expect(page.map((row) => row.message.id)).toEqual([
      'wamid.change-one',
      'wamid.change-two',
      'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBMUYxRTQ4QTZCNkI3QzhEAA==',
    ]);
    expect(store.listMessages(page.at(-1)!.rowid, 10).map((row) => row.message.id)).toEqual([
      'wamid.location-1',
      'wamid.location-2',
    ]);
  });
});
