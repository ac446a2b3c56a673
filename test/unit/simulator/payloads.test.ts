import { describe, expect, it } from 'vitest';
import { inboundTextWebhook, statusWebhook, unixSeconds } from '../../../src/simulator/payloads.ts';

const business = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
};
const at = Date.UTC(2026, 10, 21, 12, 0, 0, 999);

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
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
                messages: [
                  {
                    from: '16505551234',
                    id: 'wamid.A',
                    timestamp: '1795262400',
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

describe('statusWebhook', () => {
  it('reports a delivered message with free service pricing and the echoed tracker', () => {
    const envelope = statusWebhook({
      ...business,
      wamid: 'wamid.B',
      recipientId: '5215512345678',
      status: 'delivered',
      timestamp: at,
      bizOpaqueCallbackData: 'mutation-42',
    });
    const value = envelope.entry[0]?.changes[0]?.value;
    expect(value?.metadata).toEqual({
      display_phone_number: '15550783881',
      phone_number_id: '106540352242922',
    });
    expect(value?.messages).toBeUndefined();
    expect(value?.statuses).toEqual([
      {
        id: 'wamid.B',
        status: 'delivered',
        timestamp: '1795262400',
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
    const envelope = statusWebhook({
      ...business,
      wamid: 'wamid.C',
      recipientId: '5215512345678',
      status: 'failed',
      timestamp: at,
      bizOpaqueCallbackData: null,
      error: { code: 131047, title: 'Re-engagement message', details: 'More than 24 hours have passed.' },
    });
    const status = envelope.entry[0]?.changes[0]?.value.statuses?.[0];
    expect(status).not.toHaveProperty('pricing');
    expect(status).not.toHaveProperty('biz_opaque_callback_data');
    expect(status?.errors).toEqual([
      {
        code: 131047,
        title: 'Re-engagement message',
        message: 'Re-engagement message',
        error_data: { details: 'More than 24 hours have passed.' },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      },
    ]);
  });
});

describe('unixSeconds', () => {
  it('truncates milliseconds to whole seconds, as a string', () => {
    expect(unixSeconds(1_749_416_383_999)).toBe('1749416383');
  });
});
