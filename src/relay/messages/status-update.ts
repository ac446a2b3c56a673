// A delivery status Meta reported for an outbound message, normalized, and the one rule for applying
// it: statuses only move forward (read never falls back to delivered), whatever order they arrive in.
import { z } from 'zod';
import { pricingSchema, statusMovesForward, whatsAppErrorSchema, type Message } from '../../shared/domain.ts';

export const reportedStatusSchema = z.enum(['sent', 'delivered', 'read', 'played', 'failed']);
export type ReportedStatus = z.infer<typeof reportedStatusSchema>;

export const statusUpdateSchema = z.object({
  phoneNumberId: z.string(),
  /** Meta's wamid of the message the status is about. */
  waMessageId: z.string(),
  status: reportedStatusSchema,
  /** Meta's timestamp (ms). */
  timestamp: z.number(),
  /** Echo of the tracker set at send time: the relay sets it to the mutation id (= outbound message id). */
  bizOpaqueCallbackData: z.string().nullable(),
  /** The customer's business-scoped user id (`recipient_user_id`), when Meta tells it. */
  recipientUserId: z.string().nullable().default(null),
  error: whatsAppErrorSchema.nullable(),
  pricing: pricingSchema.nullable(),
});
export type StatusUpdate = z.infer<typeof statusUpdateSchema>;

/**
 * The message after `update`, or null when the update changes nothing. A status that does not move
 * forward is dropped, except that it may fill in pricing the message still lacks (Meta can put it on
 * any of sent/delivered/read, which may arrive out of order).
 */
export function applyStatusUpdate(message: Message, update: StatusUpdate): Message | null {
  // Delivery statuses are about what the business sent; an inbound message never takes one.
  if (message.direction === 'in') return null;
  const waMessageId = message.waMessageId ?? update.waMessageId;
  if (statusMovesForward(message.status, update.status)) {
    return {
      ...message,
      waMessageId,
      status: update.status,
      statusAt: update.timestamp,
      // A delivered or read after a failure means the message got through after all.
      error: update.status === 'failed' ? (update.error ?? message.error) : null,
      pricing: update.pricing ?? message.pricing,
    };
  }
  const fillsPricing = message.pricing === null && update.pricing !== null;
  const revealsWaId = message.waMessageId === null;
  if (!fillsPricing && !revealsWaId) return null;
  return { ...message, waMessageId, pricing: message.pricing ?? update.pricing };
}
