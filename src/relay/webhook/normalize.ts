// Meta's webhook payload -> what the relay applies: inbound messages (with their customer) and
// delivery statuses. Schemas are lenient on purpose (Meta keeps adding fields and types): every
// entry, change, message and status is read on its own, so one odd item never hides the others, and
// whatever is recognized but not applied is reported in `unhandled` so the raw body can be kept.
import { z } from 'zod';
import type { Customer, Pricing, WhatsAppError } from '../../shared/domain.ts';
import { reportedStatusSchema, type StatusUpdate } from '../messages/status-update.ts';

export interface InboundMessage {
  /** The business number that received it (metadata.phone_number_id). */
  phoneNumberId: string;
  customer: Customer;
  waMessageId: string;
  /** Meta's type, kept as it came even when the relay does not know it. */
  type: string;
  /** Body, caption or the closest thing to a text the type has; null when none. */
  text: string | null;
  /** Meta's timestamp (ms). */
  timestamp: number;
  /** The type-specific object (`message[type]`); the whole raw message for types without one. */
  payload: Record<string, unknown>;
  /** Meta's error on the message itself (unsupported type, media download failure), if any. */
  error: WhatsAppError | null;
}

export interface NormalizedWebhook {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  /** Parts of the body the relay does not apply (other fields, unknown statuses, unreadable items). */
  unhandled: string[];
}

export type NormalizeResult = { ok: true; webhook: NormalizedWebhook } | { ok: false; reason: string };

/** Unix seconds as a string (Meta) or a number (some payloads), to ms. */
const timestampSchema = z
  .union([z.string().regex(/^\d+$/), z.number().nonnegative()])
  .transform((seconds) => Number(seconds) * 1000);

const envelopeSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.unknown()),
});
const entrySchema = z.looseObject({ changes: z.array(z.unknown()) });
const changeSchema = z.looseObject({ field: z.string(), value: z.unknown() });
const messagesValueSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().min(1) }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});
const contactSchema = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});
type Contact = z.infer<typeof contactSchema>;
const messageItemSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: timestampSchema,
  type: z.string().min(1),
  errors: z.array(z.unknown()).optional(),
});
type MessageItem = z.infer<typeof messageItemSchema>;
const metaErrorSchema = z.looseObject({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  details: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});
const statusItemSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: timestampSchema,
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(z.unknown()).optional(),
  pricing: z
    .looseObject({
      billable: z.boolean().optional(),
      category: z.string().optional(),
      type: z.string().optional(),
      pricing_model: z.string().optional(),
    })
    .optional(),
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmpty = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value;

/** A copy without the keys whose value is undefined (schemas with optional keys reject none, JSON drops them anyway). */
function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function stringAt(value: unknown, ...path: string[]): string | null {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return null;
    current = current[key];
  }
  return typeof current === 'string' ? current : null;
}

/** The text an agent reads for a message of this type, if it has one. */
function textOf(message: MessageItem): string | null {
  const typed = message[message.type];
  switch (message.type) {
    case 'text':
      return stringAt(typed, 'body');
    case 'image':
    case 'video':
    case 'document':
    case 'sticker':
      return stringAt(typed, 'caption');
    case 'button':
      return stringAt(typed, 'text');
    case 'interactive':
      return stringAt(typed, 'button_reply', 'title') ?? stringAt(typed, 'list_reply', 'title');
    case 'reaction':
      return stringAt(typed, 'emoji');
    case 'system':
      return stringAt(typed, 'body');
    case 'location':
      return stringAt(typed, 'name') ?? stringAt(typed, 'address');
    case 'order':
      return stringAt(typed, 'text');
    default:
      return null;
  }
}

function payloadOf(message: MessageItem): Record<string, unknown> {
  const typed = message[message.type];
  if (isRecord(typed)) return typed;
  if (Array.isArray(typed)) return { [message.type]: typed };
  return { ...message };
}

/**
 * Who wrote: keyed on the wa_id when there is one, else on the business-scoped user id (usernames
 * hide the phone number: `from` and `wa_id` then arrive empty).
 */
function customerOf(message: MessageItem, contacts: Contact[]): Customer | null {
  const from = nonEmpty(message.from);
  const fromUserId = nonEmpty(message.from_user_id);
  const matching = contacts.find(
    (c) =>
      (from !== null && nonEmpty(c.wa_id) === from) ||
      (fromUserId !== null && nonEmpty(c.user_id) === fromUserId),
  );
  const only = contacts.length === 1 ? contacts[0] : undefined;
  const contact =
    matching ?? (only !== undefined && (from === null || nonEmpty(only.wa_id) === null) ? only : undefined);
  const waId = from ?? nonEmpty(contact?.wa_id);
  const userId = fromUserId ?? nonEmpty(contact?.user_id);
  const key = waId ?? userId;
  if (key === null) return null;
  return { key, waId, userId, name: nonEmpty(contact?.profile?.name) };
}

function errorOf(errors: unknown[] | undefined): WhatsAppError | null {
  const parsed = metaErrorSchema.safeParse(errors?.[0]);
  if (!parsed.success) return null;
  const first = parsed.data;
  return withoutUndefined({
    code: first.code,
    title: first.title ?? first.message ?? `Error ${first.code}`,
    message: first.message,
    details: first.error_data?.details ?? first.details,
  });
}

function pricingOf(pricing: z.infer<typeof statusItemSchema>['pricing']): Pricing | null {
  if (pricing === undefined) return null;
  return withoutUndefined({
    billable: pricing.billable,
    category: pricing.category,
    type: pricing.type,
    model: pricing.pricing_model,
  });
}

function readMessagesValue(value: unknown, where: string, into: NormalizedWebhook): void {
  const parsed = messagesValueSchema.safeParse(value);
  if (!parsed.success) {
    into.unhandled.push(`${where}: value without metadata.phone_number_id`);
    return;
  }
  const { metadata, contacts = [], messages = [], statuses = [], errors = [] } = parsed.data;
  const phoneNumberId = metadata.phone_number_id;
  const readableContacts = contacts.flatMap((c) => {
    const contact = contactSchema.safeParse(c);
    return contact.success ? [contact.data] : [];
  });

  messages.forEach((item, i) => {
    const message = messageItemSchema.safeParse(item);
    if (!message.success) {
      into.unhandled.push(`${where}.messages[${i}]: ${z.prettifyError(message.error)}`);
      return;
    }
    const customer = customerOf(message.data, readableContacts);
    if (customer === null) {
      into.unhandled.push(`${where}.messages[${i}]: no wa_id or user id to tell who wrote`);
      return;
    }
    into.messages.push({
      phoneNumberId,
      customer,
      waMessageId: message.data.id,
      type: message.data.type,
      text: textOf(message.data),
      timestamp: message.data.timestamp,
      payload: payloadOf(message.data),
      error: errorOf(message.data.errors),
    });
  });

  statuses.forEach((item, i) => {
    const status = statusItemSchema.safeParse(item);
    if (!status.success) {
      into.unhandled.push(`${where}.statuses[${i}]: ${z.prettifyError(status.error)}`);
      return;
    }
    const name = reportedStatusSchema.safeParse(status.data.status);
    if (!name.success) {
      into.unhandled.push(`${where}.statuses[${i}]: unknown status "${status.data.status}"`);
      return;
    }
    into.statuses.push({
      phoneNumberId,
      waMessageId: status.data.id,
      status: name.data,
      timestamp: status.data.timestamp,
      bizOpaqueCallbackData: nonEmpty(status.data.biz_opaque_callback_data),
      error: errorOf(status.data.errors),
      pricing: pricingOf(status.data.pricing),
    });
  });

  // Errors not tied to a message (e.g. 130429 throughput): kept raw until the relay surfaces them.
  if (errors.length > 0) into.unhandled.push(`${where}.errors: ${errors.length} account-level error(s)`);
}

/** Reads a parsed webhook body; `ok: false` means it is not a WhatsApp Business Account webhook at all. */
export function normalizeWebhook(body: unknown): NormalizeResult {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success)
    return { ok: false, reason: `not a WhatsApp webhook: ${z.prettifyError(envelope.error)}` };

  const webhook: NormalizedWebhook = { messages: [], statuses: [], unhandled: [] };
  envelope.data.entry.forEach((item, e) => {
    const entry = entrySchema.safeParse(item);
    if (!entry.success) {
      webhook.unhandled.push(`entry[${e}]: no changes array`);
      return;
    }
    entry.data.changes.forEach((changeItem, c) => {
      const where = `entry[${e}].changes[${c}]`;
      const change = changeSchema.safeParse(changeItem);
      if (!change.success) webhook.unhandled.push(`${where}: no field`);
      else if (change.data.field !== 'messages')
        webhook.unhandled.push(`${where}: field "${change.data.field}"`);
      else readMessagesValue(change.data.value, where, webhook);
    });
  });
  return { ok: true, webhook };
}
