// Meta's webhook payload -> what the relay applies. Every entry and change is read on its own, by
// the reader of its `field` (shapes/); a field without a reader, and any part a reader cannot use,
// is named in `unhandled` so the raw body is kept. Pure: no store, no clock.
import { z } from 'zod';
import { emptyWebhook, type NormalizedWebhook } from './normalized.ts';
import { readAccountUpdate, readPhoneNumberQualityUpdate } from './shapes/account-fields.ts';
import { timestampSchema, type ChangeContext } from './shapes/common.ts';
import { readMessagesField } from './shapes/messages-field.ts';
import {
  readTemplateCategoryUpdate,
  readTemplateQualityUpdate,
  readTemplateStatusUpdate,
} from './shapes/template-fields.ts';

export type {
  AlertNotice,
  InboundMessage,
  NormalizedWebhook,
  PhoneNumberQualityChange,
  PhoneNumberSighting,
  TemplateChange,
} from './normalized.ts';

export type NormalizeResult = { ok: true; webhook: NormalizedWebhook } | { ok: false; reason: string };

type FieldReader = (value: unknown, context: ChangeContext, into: NormalizedWebhook) => void;

/** The subscription fields the relay applies (cloud-api.md 2.4); others are kept raw. */
const fieldReaders: Readonly<Record<string, FieldReader>> = {
  messages: readMessagesField,
  message_template_status_update: readTemplateStatusUpdate,
  template_category_update: readTemplateCategoryUpdate,
  message_template_quality_update: readTemplateQualityUpdate,
  phone_number_quality_update: readPhoneNumberQualityUpdate,
  account_update: readAccountUpdate,
};

const envelopeSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.unknown()),
});
const entrySchema = z.looseObject({
  changes: z.array(z.unknown()),
  time: timestampSchema.optional().catch(undefined),
});
const changeSchema = z.looseObject({ field: z.string(), value: z.unknown() });

/** Reads a parsed webhook body; `ok: false` means it is not a WhatsApp Business Account webhook at all. */
export function normalizeWebhook(body: unknown): NormalizeResult {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success)
    return { ok: false, reason: `not a WhatsApp webhook: ${z.prettifyError(envelope.error)}` };

  const webhook = emptyWebhook();
  envelope.data.entry.forEach((item, e) => {
    const entry = entrySchema.safeParse(item);
    if (!entry.success) {
      webhook.unhandled.push(`entry[${e}]: no changes array`);
      return;
    }
    entry.data.changes.forEach((changeItem, c) => {
      const where = `entry[${e}].changes[${c}]`;
      const change = changeSchema.safeParse(changeItem);
      if (!change.success) {
        webhook.unhandled.push(`${where}: no field`);
        return;
      }
      const reader = Object.hasOwn(fieldReaders, change.data.field)
        ? fieldReaders[change.data.field]
        : undefined;
      if (reader === undefined)
        webhook.unhandled.push(`${where}: field "${change.data.field}" is not applied`);
      else reader(change.data.value, { where, entryTime: entry.data.time ?? null }, webhook);
    });
  });
  return { ok: true, webhook };
}
