// A conversation after one inbound message: the window runs from Meta's timestamp of the customer's
// latest message, the list line follows the newest message, and a referral (ad or Page CTA) is noted.
// Messages may arrive out of order: an older one never moves any of these back.
import { conversationId, windowExpiry, type Conversation } from '../../shared/domain.ts';
import type { InboundMessage } from '../webhook/normalized.ts';
import { opensServiceWindow } from './service-window.ts';

export function conversationAfter(existing: Conversation | null, inbound: InboundMessage): Conversation {
  const byCustomer = opensServiceWindow(inbound.type);
  const previousInbound = existing?.lastInboundAt ?? null;
  const lastInboundAt =
    byCustomer && (previousInbound === null || inbound.timestamp > previousInbound)
      ? inbound.timestamp
      : previousInbound;
  const isNewest = existing === null || inbound.timestamp >= existing.lastMessageAt;
  const listed = inbound.preview !== null && isNewest;
  const previousReferral = existing?.referral ?? null;
  const referral =
    inbound.referral !== null && (previousReferral === null || inbound.referral.at >= previousReferral.at)
      ? inbound.referral
      : previousReferral;
  // An existing conversation keeps its key, even when the customer is now named by another id.
  const key = existing?.customer.key ?? inbound.customer.key;
  return {
    id: existing?.id ?? conversationId(inbound.phoneNumberId, key),
    phoneNumberId: inbound.phoneNumberId,
    customer: {
      key,
      waId: inbound.customer.waId ?? existing?.customer.waId ?? null,
      userId: inbound.customer.userId ?? existing?.customer.userId ?? null,
      name: inbound.customer.name ?? existing?.customer.name ?? null,
    },
    status: byCustomer ? 'open' : (existing?.status ?? 'open'),
    assigneeId: existing?.assigneeId ?? null,
    lastInboundAt,
    windowExpiresAt: windowExpiry(lastInboundAt),
    lastMessageAt: listed || existing === null ? inbound.timestamp : existing.lastMessageAt,
    lastMessagePreview: listed ? (inbound.preview ?? '') : (existing?.lastMessagePreview ?? ''),
    referral,
  };
}
