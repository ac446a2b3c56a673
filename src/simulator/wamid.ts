// Meta's message ids are `wamid.` + base64 of a small binary record that carries the customer's
// number and a 20-character hex id, e.g. wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=
// We build the same shape so relays see realistic lengths and characters (base64 '+', '/', '=').
import { randomBytes } from 'node:crypto';

const HEADER = Buffer.from([0x1c, 0x18]);
const MIDDLE = Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]);
const TRAILER = Buffer.from([0x00]);

/** A new, unique (80 random bits) Meta-shaped message id for a message to or from `customer`. */
export function newWamid(customer: string): string {
  const number = Buffer.from(customer.replace(/\D/g, '').slice(0, 32), 'ascii');
  const id = Buffer.from(randomBytes(10).toString('hex').toUpperCase(), 'ascii');
  const record = Buffer.concat([HEADER, Buffer.from([number.length]), number, MIDDLE, id, TRAILER]);
  return `wamid.${record.toString('base64')}`;
}
