// What Meta reports about the business's own messages: `statuses[]` (sent, delivered, read, played
// for voice notes, failed with Meta's error object) with per-message pricing.
import { messagesWebhook, metaError, unixSeconds } from './envelope.ts';
import type { BusinessNumber, MessagesWebhook, Pricing, StatusUpdate, WebhookError } from './envelope.ts';

export type StatusName = 'sent' | 'delivered' | 'read' | 'played' | 'failed';
export const STATUS_NAMES: readonly StatusName[] = ['sent', 'delivered', 'read', 'played', 'failed'];

/** Per-message pricing. `billable` defaults to what the type implies: only `regular` is charged. */
export function pmpPricing(pricing: { category: string; type: string; billable?: boolean }): Pricing {
  return {
    billable: pricing.billable ?? pricing.type === 'regular',
    pricing_model: 'PMP',
    type: pricing.type,
    category: pricing.category,
  };
}

/** A free-form reply inside the customer-service window: the free service price Meta reports. */
export const SERVICE_PRICING: Pricing = pmpPricing({ category: 'service', type: 'free_customer_service' });

export interface StatusInput extends BusinessNumber {
  wamid: string;
  /** The customer the message went to (wa_id); '' for a customer known only by user id. */
  recipientId: string;
  recipientUserId?: string;
  status: StatusName;
  /** When the status happened, in ms. */
  timestamp: number;
  /** Echo of the tracker the business set at send time. */
  bizOpaqueCallbackData?: string | null;
  /** Required with `failed`, ignored otherwise. */
  error?: WebhookError;
  /** Default: free service pricing. Ignored with `failed` (Meta prices nothing that failed). */
  pricing?: Pricing;
}

export function statusUpdate(input: Omit<StatusInput, keyof BusinessNumber>): StatusUpdate {
  const status: StatusUpdate = {
    id: input.wamid,
    status: input.status,
    timestamp: unixSeconds(input.timestamp),
    recipient_id: input.recipientId,
  };
  if (input.recipientUserId !== undefined) status.recipient_user_id = input.recipientUserId;
  if (input.bizOpaqueCallbackData != null) status.biz_opaque_callback_data = input.bizOpaqueCallbackData;
  if (input.status === 'failed') {
    status.errors = [metaError(input.error ?? { code: 131000, title: 'Something went wrong' })];
  } else {
    status.pricing = { ...(input.pricing ?? SERVICE_PRICING) };
  }
  return status;
}

/** A status update for a message the business sent, as Meta posts it. */
export function statusWebhook(input: StatusInput): MessagesWebhook {
  return messagesWebhook(input, { statuses: [statusUpdate(input)] });
}

/** Several statuses in one delivery, in the given order (Meta batches them, not always in order). */
export function statusesWebhook(
  number: BusinessNumber,
  statuses: readonly Omit<StatusInput, keyof BusinessNumber>[],
): MessagesWebhook {
  return messagesWebhook(number, { statuses: statuses.map(statusUpdate) });
}

/** Errors about a whole delivery, with no message attached (e.g. 130429, throughput reached). */
export function valueErrorsWebhook(number: BusinessNumber, errors: readonly WebhookError[]): MessagesWebhook {
  return messagesWebhook(number, { errors: errors.map(metaError) });
}
