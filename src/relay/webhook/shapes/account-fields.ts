// Account-level webhooks: `account_update` (restrictions, violations, partner and pricing changes)
// becomes an alert for admins; `phone_number_quality_update` updates a business number's health.
import { z } from 'zod';
import type { NormalizedWebhook } from '../normalized.ts';
import { nonEmpty, type ChangeContext } from './common.ts';

const accountUpdateSchema = z.looseObject({ event: z.string().min(1) });

const qualityUpdateSchema = z.looseObject({
  display_phone_number: z.union([z.string().min(1), z.number()]).transform(String),
  event: z.string().min(1),
  // current_limit is being removed by Meta (February 2026) in favour of max_daily_conversations_per_business.
  max_daily_conversations_per_business: z.union([z.string(), z.number()]).optional().catch(undefined),
  current_limit: z.string().optional().catch(undefined),
});

export function readAccountUpdate(value: unknown, { where }: ChangeContext, into: NormalizedWebhook): void {
  const parsed = accountUpdateSchema.safeParse(value);
  if (!parsed.success) {
    into.unhandled.push(`${where}: account_update without an event`);
    return;
  }
  into.alerts.push({
    kind: 'account_update',
    title: parsed.data.event,
    details: parsed.data,
    phoneNumberId: null,
    where,
  });
}

export function readPhoneNumberQualityUpdate(
  value: unknown,
  { where, entryTime }: ChangeContext,
  into: NormalizedWebhook,
): void {
  const parsed = qualityUpdateSchema.safeParse(value);
  if (!parsed.success) {
    into.unhandled.push(`${where}: ${z.prettifyError(parsed.error)}`);
    return;
  }
  const update = parsed.data;
  const limit = update.max_daily_conversations_per_business;
  into.qualityChanges.push({
    displayPhoneNumber: update.display_phone_number,
    event: update.event,
    messagingLimit: (limit === undefined ? null : nonEmpty(String(limit))) ?? nonEmpty(update.current_limit),
    at: entryTime,
    where,
  });
}
