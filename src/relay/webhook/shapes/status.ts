// One item of `value.statuses[]` -> a StatusUpdate: the delivery state of something the business
// sent, with Meta's error (failed), the per-message pricing and the tracker echoed back.
import { z } from 'zod';
import type { Pricing } from '../../../shared/domain.ts';
import { reportedStatusSchema, type StatusUpdate } from '../../messages/status-update.ts';
import { firstErrorOf, nonEmpty, timestampSchema } from './common.ts';

const statusItemSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: timestampSchema,
  biz_opaque_callback_data: z.string().optional(),
  recipient_user_id: z.string().optional(),
  errors: z.array(z.unknown()).optional(),
  pricing: z
    .looseObject({
      billable: z.boolean().optional(),
      category: z.string().optional(),
      type: z.string().optional(),
      pricing_model: z.string().optional(),
    })
    .optional()
    .catch(undefined),
});
type StatusItem = z.infer<typeof statusItemSchema>;

function pricingOf(pricing: StatusItem['pricing']): Pricing | null {
  if (pricing === undefined) return null;
  const result: Pricing = {};
  if (pricing.billable !== undefined) result.billable = pricing.billable;
  if (pricing.category !== undefined) result.category = pricing.category;
  if (pricing.type !== undefined) result.type = pricing.type;
  if (pricing.pricing_model !== undefined) result.model = pricing.pricing_model;
  return result;
}

/** The status, or why it cannot be applied (an unreadable item, or a status name the relay does not know). */
export function readStatus(
  item: unknown,
  phoneNumberId: string,
): { ok: true; status: StatusUpdate } | { ok: false; reason: string } {
  const parsed = statusItemSchema.safeParse(item);
  if (!parsed.success) return { ok: false, reason: z.prettifyError(parsed.error) };
  const status = parsed.data;
  const name = reportedStatusSchema.safeParse(status.status);
  if (!name.success) return { ok: false, reason: `unknown status "${status.status}"` };
  return {
    ok: true,
    status: {
      phoneNumberId,
      waMessageId: status.id,
      status: name.data,
      timestamp: status.timestamp,
      bizOpaqueCallbackData: nonEmpty(status.biz_opaque_callback_data),
      recipientUserId: nonEmpty(status.recipient_user_id),
      error: firstErrorOf(status.errors),
      pricing: pricingOf(status.pricing),
    },
  };
}
