// Every webhook shape of cloud-api.md §2, built the way Meta posts it. Expected objects are
// written out in full, as Meta's reference and public client fixtures show them.
import { describe, expect, it } from 'vitest';
import {
  accountUpdateWebhook,
  adReferral,
  audioMessage,
  batchWebhooks,
  buttonReplyMessage,
  contactsMessage,
  documentMessage,
  flowReplyMessage,
  forwardedContext,
  imageMessage,
  inboundTextWebhook,
  inboundWebhook,
  listReplyMessage,
  locationMessage,
  orderMessage,
  phoneNumberQualityUpdateWebhook,
  pmpPricing,
  reactionMessage,
  reactionRemovedMessage,
  replyContext,
  statusesWebhook,
  statusWebhook,
  stickerMessage,
  systemMessage,
  templateButtonMessage,
  templateCategoryUpdateWebhook,
  templateQualityUpdateWebhook,
  templateStatusUpdateWebhook,
  textMessage,
  unixSeconds,
  unsupportedMessage,
  valueErrorsWebhook,
  videoMessage,
  voiceMessage,
} from '../../../src/simulator/payloads/index.ts';
import type { MessageBody, MessagesWebhook } from '../../../src/simulator/payloads/index.ts';

const business = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
};
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const at = Date.UTC(2026, 10, 21, 12, 0, 0, 999);
const atSeconds = '1795262400';
const ERRORS_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

function valueOf(envelope: MessagesWebhook) {
  expect(envelope.object).toBe('whatsapp_business_account');
  expect(envelope.entry).toHaveLength(1);
  expect(envelope.entry[0]?.id).toBe(business.wabaId);
  const change = envelope.entry[0]?.changes[0];
  expect(change?.field).toBe('messages');
  expect(change?.value.messaging_product).toBe('whatsapp');
  expect(change?.value.metadata).toEqual(metadata);
  return change?.value;
}

function inbound(message: MessageBody, extra: Partial<Parameters<typeof inboundWebhook>[0]> = {}) {
  return inboundWebhook({
    ...business,
    from: '5215512345678',
    name: 'María',
    wamid: 'wamid.IN',
    timestamp: at,
    message,
    ...extra,
  });
}

describe('inboundTextWebhook', () => {
  it("builds Meta's envelope: WABA entry, metadata, contact profile, message with a string timestamp in seconds", () => {
    expect(
      inboundTextWebhook({
        ...business,
        from: '16505551234',
        name: 'Sheena Nelson',
        wamid: 'wamid.A',
        text: 'Does it come in another color?',
        timestamp: at,
      }),
    ).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata,
                contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
                messages: [
                  {
                    from: '16505551234',
                    id: 'wamid.A',
                    timestamp: atSeconds,
                    type: 'text',
                    text: { body: 'Does it come in another color?' },
                  },
                ],
              },
              field: 'messages',
            },
          ],
        },
      ],
    });
  });

  it('leaves the profile out of the contact when the customer has no name, as Meta does', () => {
    const envelope = inboundTextWebhook({
      ...business,
      from: '16505551234',
      wamid: 'wamid.A',
      text: 'hi',
      timestamp: at,
    });
    expect(envelope.entry[0]?.changes[0]?.value.contacts).toEqual([{ wa_id: '16505551234' }]);
  });
});

describe('inboundWebhook: every message type', () => {
  const cases: [string, MessageBody, Record<string, unknown>][] = [
    ['text', textMessage('hola'), { type: 'text', text: { body: 'hola' } }],
    [
      'image with caption',
      imageMessage({ id: '1479537139650973', mimeType: 'image/jpeg', sha256: 'c2hh', caption: 'Esta' }),
      {
        type: 'image',
        image: { caption: 'Esta', mime_type: 'image/jpeg', sha256: 'c2hh', id: '1479537139650973' },
      },
    ],
    [
      'video',
      videoMessage({ id: '765756756', mimeType: 'video/mp4', sha256: 'dg==' }),
      { type: 'video', video: { mime_type: 'video/mp4', sha256: 'dg==', id: '765756756' } },
    ],
    [
      'voice note',
      voiceMessage({ id: '12345', mimeType: 'audio/ogg; codecs=opus', sha256: 'bTA0' }),
      {
        type: 'audio',
        audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'bTA0', id: '12345', voice: true },
      },
    ],
    [
      'audio file',
      audioMessage({ id: '12346', mimeType: 'audio/mpeg', sha256: 'bTA1' }),
      { type: 'audio', audio: { mime_type: 'audio/mpeg', sha256: 'bTA1', id: '12346' } },
    ],
    [
      'document',
      documentMessage({
        id: '222',
        mimeType: 'application/pdf',
        sha256: 'Z3J3',
        filename: 'factura.pdf',
        caption: 'La factura',
      }),
      {
        type: 'document',
        document: {
          caption: 'La factura',
          filename: 'factura.pdf',
          mime_type: 'application/pdf',
          sha256: 'Z3J3',
          id: '222',
        },
      },
    ],
    [
      'animated sticker',
      stickerMessage({ id: '333', mimeType: 'image/webp', sha256: 'SGN3', animated: true }),
      { type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 'SGN3', id: '333', animated: true } },
    ],
    [
      'static sticker (animated: false is always there)',
      stickerMessage({ id: '334', mimeType: 'image/webp', sha256: 'SGN4' }),
      { type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 'SGN4', id: '334', animated: false } },
    ],
    [
      'chosen location',
      locationMessage({
        latitude: 19.4326,
        longitude: -99.1332,
        name: 'Zócalo',
        address: 'Plaza de la Constitución, CDMX',
        url: 'https://maps.google.com/?cid=1',
      }),
      {
        type: 'location',
        location: {
          latitude: 19.4326,
          longitude: -99.1332,
          name: 'Zócalo',
          address: 'Plaza de la Constitución, CDMX',
          url: 'https://maps.google.com/?cid=1',
        },
      },
    ],
    [
      'current location (coordinates only)',
      locationMessage({ latitude: 6.2, longitude: -75.57 }),
      { type: 'location', location: { latitude: 6.2, longitude: -75.57 } },
    ],
    [
      'contacts',
      contactsMessage([
        {
          name: { first_name: 'Ana', last_name: 'Ruiz', formatted_name: 'Ana Ruiz' },
          phones: [{ phone: '+52 55 1234 5678', wa_id: '5215512345678', type: 'CELL' }],
        },
      ]),
      {
        type: 'contacts',
        contacts: [
          {
            name: { first_name: 'Ana', last_name: 'Ruiz', formatted_name: 'Ana Ruiz' },
            phones: [{ phone: '+52 55 1234 5678', wa_id: '5215512345678', type: 'CELL' }],
          },
        ],
      },
    ],
    [
      'interactive button reply',
      buttonReplyMessage({ id: 'yes', title: 'Sí' }),
      {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Sí' } },
      },
    ],
    [
      'interactive list reply',
      listReplyMessage({ id: 'size-m', title: 'Talla M', description: 'Pecho 96 cm' }),
      {
        type: 'interactive',
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'size-m', title: 'Talla M', description: 'Pecho 96 cm' },
        },
      },
    ],
    [
      'flow reply (nfm_reply): answers as a JSON string',
      flowReplyMessage({ response: { rating: '5', flow_token: 'tok' } }),
      {
        type: 'interactive',
        interactive: {
          type: 'nfm_reply',
          nfm_reply: { response_json: '{"rating":"5","flow_token":"tok"}', body: 'Sent', name: 'flow' },
        },
      },
    ],
    [
      'template quick-reply button',
      templateButtonMessage({ text: 'Confirmar', payload: 'confirm-10482' }),
      { type: 'button', button: { payload: 'confirm-10482', text: 'Confirmar' } },
    ],
    [
      'template button without payload',
      templateButtonMessage({ text: 'Confirmar' }),
      { type: 'button', button: { text: 'Confirmar' } },
    ],
    [
      'reaction',
      reactionMessage({ messageId: 'wamid.OUT', emoji: '👍' }),
      { type: 'reaction', reaction: { message_id: 'wamid.OUT', emoji: '👍' } },
    ],
    [
      'reaction removed (empty emoji)',
      reactionRemovedMessage({ messageId: 'wamid.OUT' }),
      { type: 'reaction', reaction: { message_id: 'wamid.OUT', emoji: '' } },
    ],
    [
      'reaction removed (no emoji key)',
      reactionRemovedMessage({ messageId: 'wamid.OUT', emojiKey: 'absent' }),
      { type: 'reaction', reaction: { message_id: 'wamid.OUT' } },
    ],
    [
      'order',
      orderMessage({
        catalogId: '354160437058781',
        items: [{ productRetailerId: 'BLUSA-M', quantity: 2, itemPrice: 850, currency: 'MXN' }],
      }),
      {
        type: 'order',
        order: {
          catalog_id: '354160437058781',
          text: '',
          product_items: [{ product_retailer_id: 'BLUSA-M', quantity: 2, item_price: 850, currency: 'MXN' }],
        },
      },
    ],
    [
      'unsupported (a poll), with error 131051',
      unsupportedMessage({ originalType: 'poll' }),
      {
        type: 'unsupported',
        errors: [
          {
            code: 131051,
            title: 'Message type unknown',
            message: 'Message type unknown',
            error_data: { details: 'Message type is currently not supported.' },
            href: ERRORS_HREF,
          },
        ],
        unsupported: { type: 'poll' },
      },
    ],
    [
      'unknown',
      unsupportedMessage({ type: 'unknown' }),
      { type: 'unknown', errors: [expect.objectContaining({ code: 131051 })] },
    ],
    [
      'a type Meta adds tomorrow, passed through as given',
      { type: 'hologram', hologram: { id: 'h1' } },
      { type: 'hologram', hologram: { id: 'h1' } },
    ],
  ];

  it.each(cases)('%s', (_name, message, expected) => {
    const value = valueOf(inbound(message));
    expect(value?.contacts).toEqual([{ profile: { name: 'María' }, wa_id: '5215512345678' }]);
    expect(value?.messages).toEqual([
      { from: '5215512345678', id: 'wamid.IN', timestamp: atSeconds, ...expected },
    ]);
  });

  it('sends a system message (number change) without contacts', () => {
    const value = valueOf(
      inbound(
        systemMessage({
          body: 'María changed from 5215512345678 to 5215587654321',
          event: 'user_changed_number',
          newWaId: '5215587654321',
        }),
      ),
    );
    expect(value).not.toHaveProperty('contacts');
    expect(value?.messages?.[0]).toEqual({
      from: '5215512345678',
      id: 'wamid.IN',
      timestamp: atSeconds,
      type: 'system',
      system: {
        body: 'María changed from 5215512345678 to 5215587654321',
        wa_id: '5215587654321',
        type: 'user_changed_number',
      },
    });
  });

  it('gives a username-only customer an empty wa_id and from, and their business-scoped user id', () => {
    const value = valueOf(
      inbound(textMessage('hola'), {
        from: '',
        name: 'Ana',
        userId: 'MX.1349120865530274',
        username: 'ana.r',
      }),
    );
    expect(value?.contacts).toEqual([
      { profile: { name: 'Ana', username: 'ana.r' }, wa_id: '', user_id: 'MX.1349120865530274' },
    ]);
    expect(value?.messages?.[0]).toMatchObject({ from: '', from_user_id: 'MX.1349120865530274' });
  });

  it('carries a Click-to-WhatsApp referral and a reply or forwarded context on any message', () => {
    const referral = adReferral({
      sourceId: '120208865510430171',
      sourceUrl: 'https://fb.me/ad',
      headline: 'Hot Sale',
      body: '12 meses sin intereses',
      imageUrl: 'https://scontent.example/ad.jpg',
      ctwaClid: 'ARAkLk',
    });
    expect(referral).toEqual({
      source_url: 'https://fb.me/ad',
      source_id: '120208865510430171',
      source_type: 'ad',
      headline: 'Hot Sale',
      body: '12 meses sin intereses',
      media_type: 'image',
      image_url: 'https://scontent.example/ad.jpg',
      ctwa_clid: 'ARAkLk',
    });
    const withReferral = valueOf(inbound(textMessage('Me interesa'), { referral }));
    expect(withReferral?.messages?.[0]).toMatchObject({ type: 'text', referral });

    const reply = valueOf(
      inbound(templateButtonMessage({ text: 'Sí' }), {
        context: replyContext({ from: '15550783881', id: 'wamid.TEMPLATE' }),
      }),
    );
    expect(reply?.messages?.[0]?.context).toEqual({ from: '15550783881', id: 'wamid.TEMPLATE' });
    expect(forwardedContext()).toEqual({ forwarded: true });
    expect(forwardedContext({ frequently: true })).toEqual({ frequently_forwarded: true });
  });

  it('never lets the message override the id, sender or time the simulator sets', () => {
    const value = valueOf(
      inbound({ type: 'text', text: { body: 'x' }, id: 'wamid.FAKE', from: '1', timestamp: '2' }),
    );
    expect(value?.messages?.[0]).toMatchObject({
      id: 'wamid.IN',
      from: '5215512345678',
      timestamp: atSeconds,
    });
  });
});

describe('statusWebhook', () => {
  it('reports a delivered message with free service pricing and the echoed tracker', () => {
    const value = valueOf(
      statusWebhook({
        ...business,
        wamid: 'wamid.B',
        recipientId: '5215512345678',
        status: 'delivered',
        timestamp: at,
        bizOpaqueCallbackData: 'mutation-42',
      }),
    );
    expect(value?.messages).toBeUndefined();
    expect(value?.statuses).toEqual([
      {
        id: 'wamid.B',
        status: 'delivered',
        timestamp: atSeconds,
        recipient_id: '5215512345678',
        biz_opaque_callback_data: 'mutation-42',
        pricing: {
          billable: false,
          pricing_model: 'PMP',
          type: 'free_customer_service',
          category: 'service',
        },
      },
    ]);
  });

  it("reports a failure with Meta's error object and no pricing; no tracker key when none was set", () => {
    const status = statusWebhook({
      ...business,
      wamid: 'wamid.C',
      recipientId: '5215512345678',
      status: 'failed',
      timestamp: at,
      bizOpaqueCallbackData: null,
      error: { code: 131047, title: 'Re-engagement message', details: 'More than 24 hours have passed.' },
    }).entry[0]?.changes[0]?.value.statuses?.[0];
    expect(status).not.toHaveProperty('pricing');
    expect(status).not.toHaveProperty('biz_opaque_callback_data');
    expect(status?.errors).toEqual([
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        error_data: { details: 'More than 24 hours have passed.' },
        href: ERRORS_HREF,
      },
    ]);
  });

  it('reports a played voice note with billable marketing pricing and the recipient user id', () => {
    const status = statusWebhook({
      ...business,
      wamid: 'wamid.D',
      recipientId: '',
      recipientUserId: 'MX.1349120865530274',
      status: 'played',
      timestamp: at,
      pricing: pmpPricing({ category: 'marketing', type: 'regular' }),
    }).entry[0]?.changes[0]?.value.statuses?.[0];
    expect(status).toEqual({
      id: 'wamid.D',
      status: 'played',
      timestamp: atSeconds,
      recipient_id: '',
      recipient_user_id: 'MX.1349120865530274',
      pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
    });
    expect(pmpPricing({ category: 'marketing', type: 'free_entry_point' }).billable).toBe(false);
  });

  it('batches several statuses in one delivery in the order given (read before delivered)', () => {
    const value = valueOf(
      statusesWebhook(business, [
        { wamid: 'wamid.E', recipientId: '1', status: 'read', timestamp: at },
        { wamid: 'wamid.E', recipientId: '1', status: 'delivered', timestamp: at - 1000 },
      ]),
    );
    expect(value?.statuses?.map((s) => s.status)).toEqual(['read', 'delivered']);
  });
});

describe('valueErrorsWebhook', () => {
  it('reports errors of a whole delivery, with no messages or statuses', () => {
    const value = valueOf(
      valueErrorsWebhook(business, [
        { code: 130429, title: 'Rate limit hit', details: 'Cloud API throughput reached' },
      ]),
    );
    expect(value).not.toHaveProperty('messages');
    expect(value).not.toHaveProperty('statuses');
    expect(value?.errors).toEqual([
      {
        code: 130429,
        title: 'Rate limit hit',
        message: 'Rate limit hit',
        error_data: { details: 'Cloud API throughput reached' },
        href: ERRORS_HREF,
      },
    ]);
  });
});

describe('business-level fields', () => {
  const template = {
    wabaId: business.wabaId,
    at,
    templateId: 1689556908129835,
    name: 'pedido_listo',
    language: 'es_MX',
  };
  const entry = (field: string, value: Record<string, unknown>) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: business.wabaId, time: 1795262400, changes: [{ value, field }] }],
  });

  it('template status update: rejected, with the reason and Meta’s rejection info', () => {
    expect(
      templateStatusUpdateWebhook({
        ...template,
        event: 'REJECTED',
        reason: 'INVALID_FORMAT',
        category: 'UTILITY',
        rejectionInfo: { reason: 'Adjacent parameters', recommendation: 'Separate them' },
      }),
    ).toEqual(
      entry('message_template_status_update', {
        event: 'REJECTED',
        message_template_id: 1689556908129835,
        message_template_name: 'pedido_listo',
        message_template_language: 'es_MX',
        reason: 'INVALID_FORMAT',
        message_template_category: 'UTILITY',
        rejection_info: { reason: 'Adjacent parameters', recommendation: 'Separate them' },
      }),
    );
    expect(
      templateStatusUpdateWebhook({ ...template, event: 'APPROVED' }).entry[0]?.changes[0]?.value,
    ).toMatchObject({
      event: 'APPROVED',
      reason: 'NONE',
    });
  });

  it('template category and quality updates', () => {
    expect(
      templateCategoryUpdateWebhook({ ...template, previousCategory: 'UTILITY', newCategory: 'MARKETING' }),
    ).toEqual(
      entry('template_category_update', {
        message_template_id: 1689556908129835,
        message_template_name: 'pedido_listo',
        message_template_language: 'es_MX',
        previous_category: 'UTILITY',
        new_category: 'MARKETING',
      }),
    );
    expect(
      templateQualityUpdateWebhook({ ...template, previousQuality: 'GREEN', newQuality: 'YELLOW' }),
    ).toEqual(
      entry('message_template_quality_update', {
        previous_quality_score: 'GREEN',
        new_quality_score: 'YELLOW',
        message_template_id: 1689556908129835,
        message_template_name: 'pedido_listo',
        message_template_language: 'es_MX',
      }),
    );
  });

  it('phone number quality update and account update', () => {
    expect(
      phoneNumberQualityUpdateWebhook({
        wabaId: business.wabaId,
        at,
        displayPhoneNumber: '15550783881',
        event: 'FLAGGED',
        currentLimit: 'TIER_2K',
        maxDailyConversationsPerBusiness: 'TIER_2K',
      }),
    ).toEqual(
      entry('phone_number_quality_update', {
        display_phone_number: '15550783881',
        event: 'FLAGGED',
        current_limit: 'TIER_2K',
        max_daily_conversations_per_business: 'TIER_2K',
      }),
    );
    expect(
      accountUpdateWebhook({
        wabaId: business.wabaId,
        at,
        event: 'ACCOUNT_VIOLATION',
        info: { violation_info: { violation_type: 'ADULT' } },
      }),
    ).toEqual(
      entry('account_update', { event: 'ACCOUNT_VIOLATION', violation_info: { violation_type: 'ADULT' } }),
    );
  });
});

describe('batchWebhooks', () => {
  const first = inbound(textMessage('uno'));
  const second = statusWebhook({
    ...business,
    wamid: 'wamid.X',
    recipientId: '1',
    status: 'sent',
    timestamp: at,
  });
  const third = accountUpdateWebhook({ wabaId: business.wabaId, at, event: 'ACCOUNT_RECONNECTED' });

  it('puts several webhooks in one delivery, entry by entry', () => {
    const batch = batchWebhooks([first, second, third]);
    expect(batch.entry).toEqual([...first.entry, ...second.entry, ...third.entry]);
  });

  it('or every change inside one entry', () => {
    const batch = batchWebhooks([first, second], { sameEntry: true });
    expect(batch.entry).toHaveLength(1);
    expect(batch.entry[0]?.changes).toEqual([
      ...(first.entry[0]?.changes ?? []),
      ...(second.entry[0]?.changes ?? []),
    ]);
  });
});

describe('unixSeconds', () => {
  it('truncates milliseconds to whole seconds, as a string', () => {
    expect(unixSeconds(1_749_416_383_999)).toBe('1749416383');
  });
});
