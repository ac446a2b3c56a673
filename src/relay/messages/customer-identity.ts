// A status may tell the customer's business-scoped user id (`recipient_user_id`) before the customer
// ever writes by username: noting it on the conversation keeps later username-only messages in it.
import type { RelayStore } from '../store/relay-store.ts';

/** Runs inside the caller's transaction. Returns whether the conversation changed. */
export function noteCustomerUserId(
  store: RelayStore,
  conversationId: string,
  userId: string,
  at: number,
): boolean {
  const conversation = store.getConversation(conversationId);
  if (conversation === null || conversation.customer.userId !== null) return false;
  const next = { ...conversation, customer: { ...conversation.customer, userId } };
  store.saveConversation(next);
  store.appendEvent({
    type: 'conversation.upserted',
    at,
    phoneNumberId: next.phoneNumberId,
    conversation: next,
  });
  return true;
}
