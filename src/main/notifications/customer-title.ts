// How a notification names the customer: their WhatsApp profile name, else their number in
// international format, else the stable id Meta gave (usernames have no number). Same rule as the
// renderer's customerLabel (src/renderer/format/phone.ts), which main cannot import.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export interface CustomerNames {
  name: string | null;
  waId: string | null;
  userId: string | null;
  key: string;
}

export function customerTitle(customer: CustomerNames): string {
  const name = customer.name?.trim();
  if (name) return name;
  if (customer.waId) return formatNumber(customer.waId);
  return customer.userId ?? customer.key;
}

/** "5491123456789" -> "+54 9 11 2345 6789"; anything unparseable comes back as it was given. */
function formatNumber(waId: string): string {
  const digits = waId.replace(/[\s+()-]/g, '');
  if (!/^\d{6,15}$/.test(digits)) return waId;
  // WhatsApp still writes Mexican mobiles with the "1" Mexico dropped in 2019 (521 55...).
  const dialable = /^521\d{10}$/.test(digits) ? `52${digits.slice(3)}` : digits;
  const parsed = parsePhoneNumberFromString(`+${dialable}`);
  return parsed?.isPossible() ? parsed.formatInternational() : `+${digits}`;
}
