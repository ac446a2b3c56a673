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

describe('normalizeWebhook', () => {
  it('reads a text message with its customer and Meta timestamp in ms', () => {
    const webhook = normalized('text.json');
    expect(webhook.unhandled).toEqual([]);
    expect(webhook.statuses).toEqual([]);
    expect(webhook.messages).toEqual([
      {
        phoneNumberId: '420000000000001',
        customer: { key: '5215512345678', waId: '5215512345678', userId: null, name: 'Lucía Fernández' },
        waMessageId: 'wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFjNFQjBBMUYxRTQ4QTZCNkI3QzhEAA==',
        type: 'text',
        text: 'Hola, ¿tienen la talla M en azul?',
        timestamp: 1763726400_000,
        payload: { body: 'Hola, ¿tienen la talla M en azul?' },
        error: null,
      },
    ]);
  });

  it('reads every change of an entry, each with its own business number', () => {
    const webhook = normalized('two-changes.json');
    expect(webhook.messages.map((m) => [m.phoneNumberId, m.waMessageId, m.customer.name])).toEqual([
      ['420000000000001', 'wamid.change-one', 'Mateo Ruiz'],
      ['420000000000002', 'wamid.change-two', 'Sofía Gómez'],
    ]);
  });

  it('reads sent, delivered, read and failed statuses with tracker, pricing and error', () => {
    const webhook = normalized('statuses.json');
    expect(webhook.messages).toEqual([]);
    expect(webhook.statuses).toEqual([
      {
        phoneNumberId: '420000000000001',
        waMessageId: 'wamid.out-1',
        status: 'sent',
        timestamp: 1763726500_000,
        bizOpaqueCallbackData: 'mut_0001_abcdef',
        error: null,
        pricing: { billable: false, category: 'service', type: 'free_customer_service', model: 'PMP' },
      },
      expect.objectContaining({ status: 'delivered', bizOpaqueCallbackData: null }),
      expect.objectContaining({ status: 'read', pricing: null, error: null }),
      {
        phoneNumberId: '420000000000001',
        waMessageId: 'wamid.out-2',
        status: 'failed',
        timestamp: 1763726520_000,
        bizOpaqueCallbackData: null,
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

  it('keys a customer whose wa_id is empty on the business-scoped user id', () => {
    const [message] = normalized('username-contact.json').messages;
    expect(message?.customer).toEqual({
      key: 'MX.1234567890123456789',
      waId: null,
      userId: 'MX.1234567890123456789',
      name: 'Valentina',
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

  it('keeps messages of unknown types with their raw payload and error', () => {
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
      payload: { poll_id: 'wamid.poll-question', selected_options: ['Martes'] },
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

  it('reports fields it does not apply instead of dropping them silently', () => {
    const webhook = normalized('template-status-update.json');
    expect(webhook.messages).toEqual([]);
    expect(webhook.statuses).toEqual([]);
    expect(webhook.unhandled).toEqual(['entry[0].changes[0]: field "message_template_status_update"']);
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

  it('refuses bodies that are not WhatsApp Business Account webhooks', () => {
    for (const body of [null, [], { object: 'page', entry: [] }, { object: 'whatsapp_business_account' }]) {
      expect(normalizeWebhook(body).ok).toBe(false);
    }
  });
});
