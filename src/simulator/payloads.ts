// Builders of Meta-shaped webhook envelopes (field `messages`), as read in Meta's webhook reference
// and the fixtures of public client libraries. Exported so tests of other programs can build
// fixtures; key order follows Meta's own examples (`value` before `field`).

/** The business number a webhook is about: entry id is the WABA, metadata names the number. */
export interface BusinessNumber {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

export type StatusName = 'sent' | 'delivered' | 'read' | 'failed';

export interface WebhookError {
  code: number;
  title: string;
  details?: string;
}

export interface WebhookEnvelope {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { value: MessagesValue; field: 'messages' }[] }[];
}

export interface MessagesValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: { profile?: { name: string }; wa_id: string }[];
  messages?: InboundMessage[];
  statuses?: StatusUpdate[];
}

export interface InboundMessage {
  from: string;
  id: string;
  timestamp: string;
  type: 'text';
  text: { body: string };
}

export interface StatusUpdate {
  id: string;
  status: StatusName;
  timestamp: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  pricing?: { billable: boolean; pricing_model: 'PMP'; type: string; category: string };
  errors?: { code: number; title: string; message: string; error_data: { details: string }; href: string }[];
}

const ERROR_CODES_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

/** Meta's timestamps are strings of Unix seconds. */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

function envelope(
  number: BusinessNumber,
  value: Omit<MessagesValue, 'messaging_product' | 'metadata'>,
): WebhookEnvelope {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: number.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: number.displayPhoneNumber,
                phone_number_id: number.phoneNumberId,
              },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

export interface InboundTextInput extends BusinessNumber {
  /** The customer's number (wa_id): E.164 digits without '+'. */
  from: string;
  /** The customer's profile name; omitted from `contacts` when absent (Meta does that too). */
  name?: string;
  wamid: string;
  text: string;
  /** When the customer wrote, in ms. */
  timestamp: number;
}

/** A customer's text message to the business, as Meta posts it. */
export function inboundTextWebhook(input: InboundTextInput): WebhookEnvelope {
  const contact =
    input.name === undefined ? { wa_id: input.from } : { profile: { name: input.name }, wa_id: input.from };
  return envelope(input, {
    contacts: [contact],
    messages: [
      {
        from: input.from,
        id: input.wamid,
        timestamp: unixSeconds(input.timestamp),
        type: 'text',
        text: { body: input.text },
      },
    ],
  });
}

export interface StatusInput extends BusinessNumber {
  wamid: string;
  /** The customer the message went to (wa_id). */
  recipientId: string;
  status: StatusName;
  /** When the status happened, in ms. */
  timestamp: number;
  /** Echo of the tracker the business set at send time. */
  bizOpaqueCallbackData?: string | null;
  /** Required with `failed`, ignored otherwise. */
  error?: WebhookError;
}

// A free-form reply inside the customer-service window: the free service price Meta reports.
const SERVICE_PRICING = {
  billable: false,
  pricing_model: 'PMP',
  type: 'free_customer_service',
  category: 'service',
} as const;

/** A status update for a message the business sent, as Meta posts it. */
export function statusWebhook(input: StatusInput): WebhookEnvelope {
  const status: StatusUpdate = {
    id: input.wamid,
    status: input.status,
    timestamp: unixSeconds(input.timestamp),
    recipient_id: input.recipientId,
  };
  if (input.bizOpaqueCallbackData != null) status.biz_opaque_callback_data = input.bizOpaqueCallbackData;
  if (input.status === 'failed') {
    const error = input.error ?? { code: 131000, title: 'Something went wrong' };
    status.errors = [
      {
        code: error.code,
        title: error.title,
        message: error.title,
        error_data: { details: error.details ?? error.title },
        href: ERROR_CODES_HREF,
      },
    ];
  } else {
    status.pricing = { ...SERVICE_PRICING };
  }
  return envelope(input, { statuses: [status] });
}
