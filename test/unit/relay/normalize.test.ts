// normalizeWebhook over the project's own fixtures (test/fixtures/webhooks, shaped like Meta's): one
// fixture per webhook shape, read into what the relay applies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeWebhook, type NormalizedWebhook } from '../../../src/relay/webhook/normalize.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/webhooks', name), 'utf8'));

function normalized(name: string): NormalizedWebhook {
  const result = normalizeWebhook(fixture(name));
  if (!result.ok) throw new Error(`fixture ${name} was not recognized: ${result.reason}`);
  return result.webhook;
}

const NUMBER_A = '420000000000001';

describe('normalizeWebhook: messages', () => {
  it('reads a text message with its customer and Meta timestamp in ms', () => {
    const webhook = normalized('text.json');
    expect(webhook.unhandled).toEqual([]);
    expect(webhook.statuses).toEqual([]);
    expect(webhook.messages).toEqual([
      {
        phoneNumberId: NUMBER_A,
        customer: { key: '5215512345678', waId: '5215512345678', userId: null, name: 'Lucía Fernández' },
        waMessageId: 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBMUYxRTQ4QTZCNkI3QzhEAA==',
        type: 'text',
        text: 'Hola, ¿tienen la talla M en azul?',
        preview: 'Hola, ¿tienen la talla M en azul?',
        timestamp: 1763726400_000,
        payload: { body: 'Hola, ¿tienen la talla M en azul?' },
        error: null,
        media: null,
        context: null,
        referral: null,
      },
    ]);
  });

  it('notes the business number each messages change names (id and display number)', () => {
    expect(normalized('two-changes.json').phoneNumbers).toEqual([
      { id: NUMBER_A, displayPhoneNumber: '5215550001111' },
      { id: '420000000000002', displayPhoneNumber: '5215550002222' },
    ]);
  });

  it('reads every change of an entry, each with its own business number', () => {
    const webhook = normalized('two-changes.json');
    expect(webhook.messages.map((m) => [m.phoneNumberId, m.waMessageId, m.customer.name])).toEqual([
      [NUMBER_A, 'wamid.change-one', 'Mateo Ruiz'],
      ['420000000000002', 'wamid.change-two', 'Sofía Gómez'],
    ]);
  });

  it('reads every entry of a delivery, whatever its field', () => {
    const webhook = normalized('batch-entries.json');
    expect(webhook.messages.map((m) => m.waMessageId)).toEqual(['wamid.batch-1', 'wamid.batch-2']);
    expect(webhook.templates.map((t) => [t.name, t.status])).toEqual([['recordatorio_cita', 'PAUSED']]);
    expect(webhook.unhandled).toEqual([]);
  });

  const pendingMedia = (id: string, mimeType: string, extra: Record<string, unknown> = {}) => ({
    id,
    mimeType,
    sha256: expect.any(String) as unknown,
    fileSize: null,
    filename: null,
    state: 'pending',
    error: null,
    ...extra,
  });

  // One row per message shape: what an agent reads, the list line, and the media to fetch.
  it.each([
    {
      file: 'message-image.json',
      type: 'image',
      text: '¿Este modelo lo tienen en negro?',
      preview: '📷 ¿Este modelo lo tienen en negro?',
      media: pendingMedia('1180000000000001', 'image/jpeg'),
    },
    {
      file: 'message-audio-voice.json',
      type: 'audio',
      text: null,
      preview: '🎤',
      media: pendingMedia('1180000000000002', 'audio/ogg; codecs=opus'),
    },
    {
      file: 'message-video-forwarded.json',
      type: 'video',
      text: 'Así llegó la caja',
      preview: '🎥 Así llegó la caja',
      media: pendingMedia('1180000000000003', 'video/mp4'),
    },
    {
      file: 'message-document-reply.json',
      type: 'document',
      text: 'Mi factura',
      preview: '📄 factura-0042.pdf',
      media: pendingMedia('1180000000000004', 'application/pdf', { filename: 'factura-0042.pdf' }),
    },
    {
      file: 'message-sticker-animated.json',
      type: 'sticker',
      text: null,
      preview: '💟',
      media: pendingMedia('1180000000000005', 'image/webp'),
    },
    { file: 'message-location.json', type: 'location', text: 'Tienda Centro', preview: '📍 Tienda Centro' },
    {
      file: 'message-contacts.json',
      type: 'contacts',
      text: 'Ana Torres, Taller Ruiz',
      preview: '👤 Ana Torres +1',
    },
    {
      file: 'numeric-timestamp.json',
      type: 'interactive',
      text: 'Confirmar pedido',
      preview: 'Confirmar pedido',
    },
    {
      file: 'message-interactive-list.json',
      type: 'interactive',
      text: 'Envío exprés',
      preview: 'Envío exprés',
    },
    { file: 'message-interactive-flow.json', type: 'interactive', text: null, preview: '📋' },
    { file: 'message-interactive-without-object.json', type: 'interactive', text: null, preview: '❓' },
    { file: 'message-button.json', type: 'button', text: 'Confirmar', preview: 'Confirmar' },
    { file: 'message-reaction.json', type: 'reaction', text: '👍', preview: '👍' },
    {
      file: 'message-order.json',
      type: 'order',
      text: 'Lo quiero para el viernes',
      preview: '🛒 Lo quiero para el viernes',
    },
    {
      file: 'message-system-identity.json',
      type: 'system',
      text: 'La clave de seguridad de Lucía cambió',
      preview: 'La clave de seguridad de Lucía cambió',
    },
    { file: 'message-revoke.json', type: 'revoke', text: null, preview: '🚫' },
    {
      file: 'message-edit.json',
      type: 'edit',
      text: 'Hola, ¿tienen la talla L en azul?',
      preview: '✏️ Hola, ¿tienen la talla L en azul?',
    },
    { file: 'unknown-types.json', type: 'unsupported', text: null, preview: '❓' },
  ])('reads $file as $type', ({ file, type, text, preview, media = null }) => {
    const webhook = normalized(file);
    expect(webhook.unhandled).toEqual([]);
    expect(webhook.messages[0]).toMatchObject({ phoneNumberId: NUMBER_A, type, text, preview, media });
  });

  it('keeps the type-specific object of known types as the payload', () => {
    const [order] = normalized('message-order.json').messages;
    expect(order?.payload).toEqual({
      catalog_id: '880000000000001',
      text: 'Lo quiero para el viernes',
      product_items: [
        { product_retailer_id: 'CAMISA-AZUL-M', quantity: 2, item_price: 349.5, currency: 'MXN' },
        { product_retailer_id: 'GORRA-NEGRA', quantity: 1, item_price: 199, currency: 'MXN' },
      ],
    });
    const [contacts] = normalized('message-contacts.json').messages;
    expect(contacts?.payload).toMatchObject({
      contacts: [
        expect.objectContaining({ emails: [{ email: 'ana@example.com', type: 'WORK' }] }),
        expect.objectContaining({ org: { company: 'Taller Ruiz' } }),
      ],
    });
    const [flow] = normalized('message-interactive-flow.json').messages;
    expect(flow?.payload).toMatchObject({
      type: 'nfm_reply',
      nfm_reply: { response_json: '{"talla":"M","color":"azul","flow_token":"pedido-77"}' },
    });
  });

  it('reads reply and forwarding marks into the message context', () => {
    expect(normalized('message-document-reply.json').messages[0]?.context).toEqual({
      replyTo: 'wamid.out-quoted-1',
      forwarded: false,
      frequentlyForwarded: false,
    });
    expect(normalized('message-video-forwarded.json').messages[0]?.context).toEqual({
      replyTo: null,
      forwarded: true,
      frequentlyForwarded: false,
    });
    const [, bareLocation] = normalized('message-location.json').messages;
    expect(bareLocation).toMatchObject({
      text: null,
      preview: '📍',
      payload: { latitude: 19.41, longitude: -99.17 },
      context: { replyTo: null, forwarded: true, frequentlyForwarded: true },
    });
  });

  it('reads a template quick-reply tap with and without its payload', () => {
    const [withPayload, withoutPayload] = normalized('message-button.json').messages;
    expect(withPayload).toMatchObject({
      payload: { payload: 'CONFIRMAR_CITA', text: 'Confirmar' },
      context: { replyTo: 'wamid.out-template-1' },
    });
    expect(withoutPayload).toMatchObject({ text: 'Cancelar', payload: { text: 'Cancelar' }, context: null });
  });

  it('reads a removed reaction (empty or absent emoji) as one that leaves the list line alone', () => {
    const removed = normalized('message-reaction-removed.json').messages;
    expect(removed.map((m) => [m.type, m.text, m.preview, m.payload])).toEqual([
      ['reaction', null, null, { message_id: 'wamid.out-1', emoji: '' }],
      ['reaction', null, null, { message_id: 'wamid.out-2' }],
    ]);
  });

  it('keeps an interactive reply without its object whole, and surfaces the delivery’s error for admins', () => {
    const webhook = normalized('message-interactive-without-object.json');
    expect(webhook.messages[0]?.payload).toMatchObject({
      id: 'wamid.interactive-empty-1',
      type: 'interactive',
      context: { id: 'wamid.out-menu-1' },
    });
    expect(webhook.alerts).toEqual([
      {
        kind: 'webhook_error',
        title: 'Something went wrong',
        details: expect.objectContaining({
          code: 131000,
          error_data: { details: 'Unsupported webhook payload' },
        }) as unknown,
        phoneNumberId: NUMBER_A,
        where: 'entry[0].changes[0].errors[0]',
      },
    ]);
  });

  it('reads the referral of a Click-to-WhatsApp ad (the free entry point)', () => {
    expect(normalized('message-referral.json').messages[0]?.referral).toEqual({
      sourceType: 'ad',
      sourceId: '120200000000000001',
      sourceUrl: 'https://fb.me/anuncio-camisas',
      headline: 'Camisas 2x1',
      body: 'Solo este fin de semana',
      ctwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4Xvn',
      at: 1763727150_000,
    });
  });

  it('reads an edit with the new text, and a revoke naming the deleted message', () => {
    expect(normalized('message-edit.json').messages[0]?.payload).toMatchObject({
      original_message_id: 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBMUYxRTQ4QTZCNkI3QzhEAA==',
    });
    expect(normalized('message-revoke.json').messages[0]?.payload).toEqual({
      original_message_id: 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBMUYxRTQ4QTZCNkI3QzhEAA==',
    });
  });

  it('keys a customer whose wa_id is empty on the business-scoped user id', () => {
    const [message] = normalized('username-contact.json').messages;
    expect(message?.customer).toEqual({
      key: 'MX.1234567890123456789',
      waId: null,
      userId: 'MX.1234567890123456789',
      name: 'Valentina',
    });
  });

  it('keys a customer who comes with no `from` at all on the user id of the contact', () => {
    const [message] = normalized('message-user-id-only.json').messages;
    expect(message?.customer).toEqual({
      key: 'MX.5550001112223334445',
      waId: null,
      userId: 'MX.5550001112223334445',
      name: 'Renata',
    });
  });

  it('reads a system message that comes without contacts', () => {
    const webhook = normalized('system-no-contacts.json');
    expect(webhook.unhandled).toEqual([]);
    expect(webhook.messages).toEqual([
      expect.objectContaining({
        type: 'system',
        text: 'Lucía cambió su número de 5215512345678 a 5215587654321',
        customer: { key: '5215512345678', waId: '5215512345678', userId: null, name: null },
        payload: expect.objectContaining({ type: 'user_changed_number', wa_id: '5215587654321' }) as unknown,
      }),
    ]);
  });

  it('keeps messages of unsupported and unknown types whole, as they came, with their error', () => {
    const [unsupported, poll] = normalized('unknown-types.json').messages;
    expect(unsupported).toMatchObject({
      type: 'unsupported',
      text: null,
      error: {
        code: 131051,
        title: 'Message type unknown',
        details: 'Message type is currently not supported.',
      },
      payload: {
        id: 'wamid.unsupported-1',
        type: 'unsupported',
        errors: [expect.objectContaining({ code: 131051 })],
      },
    });
    expect(poll).toMatchObject({
      type: 'poll_vote',
      text: null,
      preview: '❓',
      payload: {
        id: 'wamid.poll-1',
        timestamp: '1763726801',
        poll_vote: { poll_id: 'wamid.poll-question', selected_options: ['Martes'] },
      },
    });
  });

  it('accepts a timestamp given as a number', () => {
    const [message] = normalized('numeric-timestamp.json').messages;
    expect(message).toMatchObject({
      timestamp: 1763726900_000,
      type: 'interactive',
      text: 'Confirmar pedido',
    });
  });

  it('reads the good items of a change even when one item is unreadable', () => {
    const body = fixture('text.json') as { entry: { changes: { value: { messages: unknown[] } }[] }[] };
    body.entry[0]!.changes[0]!.value.messages.unshift({ id: 'wamid.no-timestamp', type: 'text', from: '1' });
    const result = normalizeWebhook(body);
    expect(result.ok && result.webhook.messages.map((m) => m.waMessageId)).toEqual([
      'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBMUYxRTQ4QTZCNkI3QzhEAA==',
    ]);
    expect(result.ok && result.webhook.unhandled).toEqual([
      expect.stringContaining('entry[0].changes[0].messages[0]'),
    ]);
  });
});

describe('normalizeWebhook: statuses', () => {
  it('reads sent, delivered, read and failed statuses with tracker, pricing and error', () => {
    const webhook = normalized('statuses.json');
    expect(webhook.messages).toEqual([]);
    expect(webhook.statuses).toEqual([
      {
        phoneNumberId: NUMBER_A,
        waMessageId: 'wamid.out-1',
        status: 'sent',
        timestamp: 1763726500_000,
        bizOpaqueCallbackData: 'mut_0001_abcdef',
        recipientUserId: null,
        error: null,
        pricing: { billable: false, category: 'service', type: 'free_customer_service', model: 'PMP' },
      },
      expect.objectContaining({ status: 'delivered', bizOpaqueCallbackData: null }),
      expect.objectContaining({ status: 'read', pricing: null, error: null }),
      {
        phoneNumberId: NUMBER_A,
        waMessageId: 'wamid.out-2',
        status: 'failed',
        timestamp: 1763726520_000,
        bizOpaqueCallbackData: null,
        recipientUserId: null,
        error: {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
        pricing: null,
      },
    ]);
  });

  it('reads played (a voice message listened to) and a failure with only code and title', () => {
    expect(normalized('status-played.json').statuses).toEqual([
      expect.objectContaining({ waMessageId: 'wamid.out-voice-1', status: 'played' }),
    ]);
    expect(normalized('status-failed-minimal.json').statuses[0]).toMatchObject({
      status: 'failed',
      error: { code: 131053, title: 'Media upload error' },
    });
  });

  it('reads a status for a username recipient: empty recipient_id, user id and per-message pricing', () => {
    expect(normalized('status-username-recipient.json').statuses).toEqual([
      {
        phoneNumberId: NUMBER_A,
        waMessageId: 'wamid.out-username-1',
        status: 'delivered',
        timestamp: 1763727220_000,
        bizOpaqueCallbackData: 'mut_username_0001',
        recipientUserId: 'MX.1234567890123456789',
        error: null,
        pricing: { billable: true, category: 'marketing', type: 'regular', model: 'PMP' },
      },
    ]);
  });

  it('reports a status it does not know, and still reads the others', () => {
    const webhook = normalized('status-unknown-name.json');
    expect(webhook.statuses.map((s) => s.status)).toEqual(['sent']);
    expect(webhook.unhandled).toEqual([
      'entry[0].changes[0].statuses[1]: unknown status "reviewed_by_robots"',
    ]);
  });

  it('turns errors Meta reports on a whole delivery into alerts', () => {
    const webhook = normalized('value-errors.json');
    expect(webhook.alerts).toEqual([
      {
        kind: 'webhook_error',
        title: 'Rate limit hit',
        details: expect.objectContaining({ code: 130429, phone_number_id: NUMBER_A }) as unknown,
        phoneNumberId: NUMBER_A,
        where: 'entry[0].changes[0].errors[0]',
      },
    ]);
    expect(webhook.unhandled).toEqual([]);
  });
});

describe('normalizeWebhook: templates, numbers and the account', () => {
  it('reads a template status update, keyed by name and language, at Meta’s time', () => {
    expect(normalized('template-status-update.json').templates).toEqual([
      {
        name: 'confirmacion_pedido',
        language: 'es_MX',
        id: '987654321',
        at: 1763727000_000,
        status: 'APPROVED',
        reason: null,
      },
    ]);
    expect(normalized('template-status-rejected.json').templates).toEqual([
      expect.objectContaining({
        status: 'REJECTED',
        category: 'MARKETING',
        reason: 'Dos variables seguidas sin texto entre ellas.',
      }),
    ]);
  });

  it('reads template category and quality updates as changes of that field only', () => {
    expect(normalized('template-category-update.json').templates).toEqual([
      {
        name: 'confirmacion_pedido',
        language: 'es_MX',
        id: '987654321',
        at: 1763727400_000,
        category: 'MARKETING',
      },
    ]);
    expect(normalized('template-quality-update.json').templates).toEqual([
      {
        name: 'confirmacion_pedido',
        language: 'es_MX',
        id: '987654321',
        at: 1763727500_000,
        quality: 'YELLOW',
      },
    ]);
  });

  it('reads a phone number quality update by its display number', () => {
    expect(normalized('phone-number-quality-update.json').qualityChanges).toEqual([
      {
        displayPhoneNumber: '5215550001111',
        event: 'FLAGGED',
        messagingLimit: 'TIER_2K',
        at: 1763727600_000,
        where: 'entry[0].changes[0]',
      },
    ]);
  });

  it('turns an account update into an alert carrying Meta’s object', () => {
    expect(normalized('account-update.json').alerts).toEqual([
      {
        kind: 'account_update',
        title: 'ACCOUNT_RESTRICTION',
        details: {
          event: 'ACCOUNT_RESTRICTION',
          restriction_info: [
            { restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: 1763813400 },
          ],
        },
        phoneNumberId: null,
        where: 'entry[0].changes[0]',
      },
    ]);
  });

  it('reports fields it does not apply instead of dropping them silently', () => {
    const webhook = normalized('field-user-preferences.json');
    expect(webhook.messages).toEqual([]);
    expect(webhook.unhandled).toEqual(['entry[0].changes[0]: field "user_preferences" is not applied']);
  });

  it('reports a change whose value does not have the shape of its field', () => {
    const body = fixture('template-quality-update.json') as { entry: { changes: { value: object }[] }[] };
    body.entry[0]!.changes[0]!.value = { new_quality_score: 'RED' };
    const result = normalizeWebhook(body);
    expect(result.ok && result.webhook.templates).toEqual([]);
    expect(result.ok && result.webhook.unhandled).toEqual([expect.stringContaining('entry[0].changes[0]')]);
  });

  it('refuses bodies that are not WhatsApp Business Account webhooks', () => {
    for (const body of [null, [], { object: 'page', entry: [] }, { object: 'whatsapp_business_account' }]) {
      expect(normalizeWebhook(body).ok).toBe(false);
    }
  });
});
