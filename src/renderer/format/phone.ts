// How a customer is named on screen: their WhatsApp profile name, else their number in
// international format, else whatever stable id Meta gave us (usernames have no number).
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Customer } from '../../shared/domain.ts';

/** "5491123456789" -> "+54 9 11 2345-6789"; anything unparseable comes back as it was given. */
export function formatPhone(waId: string): string {
  const digits = waId.replace(/[\s+()-]/g, '');
  if (!/^\d{6,15}$/.test(digits)) return waId;
  // WhatsApp still writes Mexican mobiles with the "1" Mexico dropped in 2019 (521 55...): dial them without it.
  const dialable = /^521\d{10}$/.test(digits) ? `52${digits.slice(3)}` : digits;
  const parsed = parsePhoneNumberFromString(`+${dialable}`);
  return parsed?.isPossible() ? parsed.formatInternational() : `+${digits}`;
}

export interface CustomerLabel {
  /** The main line: profile name, number or id. */
  title: string;
  /** The formatted number when the title is a name, else null. */
  subtitle: string | null;
}

export function customerLabel(customer: Customer): CustomerLabel {
  const phone = customer.waId ? formatPhone(customer.waId) : null;
  const name = customer.name?.trim();
  if (name) return { title: name, subtitle: phone };
  return { title: phone ?? customer.userId ?? customer.key, subtitle: null };
}
