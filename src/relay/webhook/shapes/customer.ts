// Who wrote a message. Keyed on the wa_id when there is one, else on the business-scoped user id:
// a customer who uses a username hides the phone number, and `from` / `wa_id` then arrive empty.
import { z } from 'zod';
import type { Customer } from '../../../shared/domain.ts';
import { nonEmpty } from './common.ts';

const contactSchema = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});
export type Contact = z.infer<typeof contactSchema>;

/** The readable entries of `value.contacts` (a bad one is skipped; it only names people). */
export function readContacts(contacts: unknown[]): Contact[] {
  return contacts.flatMap((item) => {
    const contact = contactSchema.safeParse(item);
    return contact.success ? [contact.data] : [];
  });
}

/** The customer of a message sent by `from` / `from_user_id`, named by the matching contact. */
export function customerOf(
  sender: { from?: string | undefined; from_user_id?: string | undefined },
  contacts: Contact[],
): Customer | null {
  const from = nonEmpty(sender.from);
  const fromUserId = nonEmpty(sender.from_user_id);
  const matching = contacts.find(
    (c) =>
      (from !== null && nonEmpty(c.wa_id) === from) ||
      (fromUserId !== null && nonEmpty(c.user_id) === fromUserId),
  );
  // A lone contact is the sender, unless it names another phone number.
  const only = contacts.length === 1 ? contacts[0] : undefined;
  const contact =
    matching ?? (only !== undefined && (from === null || nonEmpty(only.wa_id) === null) ? only : undefined);
  const waId = from ?? nonEmpty(contact?.wa_id);
  const userId = fromUserId ?? nonEmpty(contact?.user_id);
  const key = waId ?? userId;
  if (key === null) return null;
  const name = nonEmpty(contact?.profile?.name) ?? nonEmpty(contact?.profile?.username);
  return { key, waId, userId, name };
}
