// The webhooks the load generator posts: one inbound text message per body, as Meta sends it, signed
// like Meta signs it. Customers rotate over a fixed set, so conversations are updated as in real traffic.
import { createHmac } from 'node:crypto';

export const BENCH_WABA_ID = '310000000000777';
export const BENCH_PHONE_NUMBER_ID = '420000000000777';
const CUSTOMERS = 1_000;
const FIRST_CUSTOMER = 5215500000000;

/** The text of a fan-out message: the consoles read its index and scheduled send time back from it. */
export const fanoutText = (index: number, scheduledMicros: number): string =>
  `Bench fanout:${index}:${scheduledMicros};`;

const MARKER = Buffer.from('fanout:');
const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * Every (index, scheduled time) written by `fanoutText` in a received frame, read from the bytes
 * (no decoding, no JSON parse: 200 consoles share one process and must stay cheap).
 */
export function* fanoutMarkers(frame: Buffer): Generator<{ index: number; scheduledMicros: number }> {
  let at = frame.indexOf(MARKER);
  while (at !== -1) {
    let cursor = at + MARKER.length;
    const readNumber = (): number => {
      let value = 0;
      for (
        let byte = frame[cursor];
        byte !== undefined && byte >= DIGIT_0 && byte <= DIGIT_9;
        byte = frame[++cursor]
      )
        value = value * 10 + (byte - DIGIT_0);
      return value;
    };
    const index = readNumber();
    if (frame[cursor] === COLON) {
      cursor += 1;
      yield { index, scheduledMicros: readNumber() };
    }
    at = frame.indexOf(MARKER, cursor);
  }
}

export function webhookBody(wamid: string, index: number, text: string, timestampSeconds: number): Buffer {
  const customer = String(FIRST_CUSTOMER + (index % CUSTOMERS));
  return Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: BENCH_WABA_ID,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550007777', phone_number_id: BENCH_PHONE_NUMBER_ID },
                contacts: [{ profile: { name: `Cliente ${index % CUSTOMERS}` }, wa_id: customer }],
                messages: [
                  {
                    from: customer,
                    id: wamid,
                    timestamp: String(timestampSeconds),
                    type: 'text',
                    text: { body: text },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
  );
}

export const signatureOf = (body: Buffer, appSecret: string): string =>
  `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
