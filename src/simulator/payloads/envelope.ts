// Meta's webhook envelope: {object, entry[{id (the WABA), time?, changes[{value, field}]}]}, as read
// in Meta's webhook reference and the fixtures of public client libraries. Key order follows Meta's
// own examples (`value` before `field`); it does not matter to JSON readers but keeps diffs familiar.

/** The business number a webhook is about: entry id is the WABA, metadata names the number. */
export interface BusinessNumber {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

/** Meta's error object, as it appears in `statuses[].errors`, `messages[].errors` and `value.errors`. */
export interface MetaError {
  code: number;
  title: string;
  message?: string;
  error_data?: { details: string };
  href?: string;
}

/** What a caller says about an error; `metaError` spells it the way Meta does. */
export interface WebhookError {
  code: number;
  title: string;
  details?: string;
}

export interface WebhookContact {
  profile?: { name?: string; username?: string };
  /** Empty for a customer known only by username / business-scoped user id. */
  wa_id: string;
  user_id?: string;
}

/** One message of `value.messages`: common keys plus the type's own object (`text`, `image`, ...). */
export interface InboundMessage {
  context?: Record<string, unknown>;
  from: string;
  from_user_id?: string;
  id: string;
  timestamp: string;
  type: string;
  referral?: Record<string, unknown>;
  errors?: MetaError[];
  [payload: string]: unknown;
}

export interface StatusUpdate {
  id: string;
  status: string;
  timestamp: string;
  recipient_id: string;
  recipient_user_id?: string;
  biz_opaque_callback_data?: string;
  pricing?: Pricing;
  errors?: MetaError[];
}

/** Per-message pricing (PMP, since July 2025): what Meta reports in every non-failed status. */
export interface Pricing {
  billable: boolean;
  pricing_model: 'PMP';
  type: string;
  category: string;
}

export interface MessagesValue {
  messaging_product: 'whatsapp';
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: WebhookContact[];
  messages?: InboundMessage[];
  statuses?: StatusUpdate[];
  /** Value-level errors: something went wrong with the delivery as a whole, no message attached. */
  errors?: MetaError[];
}

export interface MessagesChange {
  value: MessagesValue;
  field: 'messages';
}

/** A change of another subscription field (template updates, account updates, ...). */
export interface FieldChange {
  value: Record<string, unknown>;
  field: string;
}

export type WebhookChange = MessagesChange | FieldChange;

export interface WebhookEntry<Change extends WebhookChange = WebhookChange> {
  id: string;
  /** Unix seconds; Meta sets it on business-level fields, not on `messages`. */
  time?: number;
  changes: Change[];
}

export interface WebhookEnvelope<Change extends WebhookChange = WebhookChange> {
  object: 'whatsapp_business_account';
  entry: WebhookEntry<Change>[];
}

/** A delivery of the `messages` field: inbound messages, statuses or value-level errors. */
export type MessagesWebhook = WebhookEnvelope<MessagesChange>;

export const ERROR_CODES_HREF =
  'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

/** Meta's timestamps are strings of Unix seconds. */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

/** The full error object Meta sends: message repeats the title, details default to it too. */
export function metaError(error: WebhookError): MetaError {
  return {
    code: error.code,
    title: error.title,
    message: error.title,
    error_data: { details: error.details ?? error.title },
    href: ERROR_CODES_HREF,
  };
}

/** A `messages` delivery for one business number. */
export function messagesWebhook(
  number: BusinessNumber,
  value: Omit<MessagesValue, 'messaging_product' | 'metadata'>,
): MessagesWebhook {
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

/** A delivery of a business-level field (templates, phone numbers, account): entry carries `time`. */
export function fieldWebhook(
  wabaId: string,
  at: number,
  field: string,
  value: Record<string, unknown>,
): WebhookEnvelope<FieldChange> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, time: Math.floor(at / 1000), changes: [{ value, field }] }],
  };
}

/**
 * Several webhooks as ONE delivery, as Meta batches them: each envelope's entries side by side, or
 * (`sameEntry`) every change inside the first entry, the shape of one WABA with several changes.
 */
export function batchWebhooks(
  envelopes: readonly WebhookEnvelope[],
  options: { sameEntry?: boolean } = {},
): WebhookEnvelope {
  const entries = envelopes.flatMap((envelope) => envelope.entry);
  const [first] = entries;
  if (options.sameEntry !== true || first === undefined) {
    return { object: 'whatsapp_business_account', entry: entries };
  }
  return {
    object: 'whatsapp_business_account',
    entry: [{ ...first, changes: entries.flatMap((entry) => entry.changes) }],
  };
}
