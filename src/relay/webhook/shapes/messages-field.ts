// `field: "messages"`: the business number (metadata), inbound messages, delivery statuses and
// errors Meta reports on the whole delivery. Every item is read on its own: one odd item never
// hides the others, and whatever is not applied is named in `unhandled`.
import { z } from 'zod';
import type { NormalizedWebhook } from '../normalized.ts';
import { isRecord, nonEmpty, type ChangeContext } from './common.ts';
import { readContacts } from './customer.ts';
import { readMessage } from './message.ts';
import { readStatus } from './status.ts';

const messagesValueSchema = z.looseObject({
  metadata: z.looseObject({
    phone_number_id: z.string().min(1),
    display_phone_number: z.string().optional(),
  }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

/** Keys of the value the relay reads or may ignore; any other key is a part it does not apply. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'messaging_product',
  'metadata',
  'contacts',
  'messages',
  'statuses',
  'errors',
]);

export function readMessagesField(value: unknown, { where }: ChangeContext, into: NormalizedWebhook): void {
  const parsed = messagesValueSchema.safeParse(value);
  if (!parsed.success) {
    into.unhandled.push(`${where}: messages value without metadata.phone_number_id`);
    return;
  }
  const { metadata, contacts = [], messages = [], statuses = [], errors = [] } = parsed.data;
  const phoneNumberId = metadata.phone_number_id;
  into.phoneNumbers.push({ id: phoneNumberId, displayPhoneNumber: nonEmpty(metadata.display_phone_number) });
  const readableContacts = readContacts(contacts);

  messages.forEach((item, i) => {
    const read = readMessage(item, phoneNumberId, readableContacts);
    if (read.ok) into.messages.push(read.message);
    else into.unhandled.push(`${where}.messages[${i}]: ${read.reason}`);
  });

  statuses.forEach((item, i) => {
    const read = readStatus(item, phoneNumberId);
    if (read.ok) into.statuses.push(read.status);
    else into.unhandled.push(`${where}.statuses[${i}]: ${read.reason}`);
  });

  // Errors not tied to a message (e.g. 130429 throughput): admins hear of each.
  errors.forEach((item, i) => {
    const details = isRecord(item) ? item : { error: item };
    const title =
      nonEmpty(typeof details.title === 'string' ? details.title : null) ??
      nonEmpty(typeof details.message === 'string' ? details.message : null) ??
      (typeof details.code === 'number' ? `Error ${details.code}` : 'Error reported by Meta');
    into.alerts.push({
      kind: 'webhook_error',
      title,
      details: { ...details, phone_number_id: phoneNumberId },
      phoneNumberId,
      where: `${where}.errors[${i}]`,
    });
  });

  for (const key of Object.keys(parsed.data))
    if (!KNOWN_KEYS.has(key)) into.unhandled.push(`${where}: "${key}" is not applied`);
}
