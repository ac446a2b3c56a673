// Fills a relay's event log before the relay starts, through the relay's own inbound path
// (`recordInbound` on its SQLite store, the code a signed webhook ends in): the log holds exactly
// what webhooks would have left (a message.upserted and a conversation.upserted per message), without
// spending minutes on HTTP. Written in big transactions, as the relay's commit queue would.
import type { Clock } from '../../src/shared/clock.ts';
import { recordInbound } from '../../src/relay/messages/inbound-message.ts';
import { openSqliteRelayStore } from '../../src/relay/store/sqlite-relay-store.ts';
import type { InboundMessage } from '../../src/relay/webhook/normalized.ts';
import { FIRST_NAMES, messageText, seededRandom } from './seeded-text.ts';

export const BENCH_PHONE_NUMBER_ID = '106540352242922';
const BATCH = 10_000;

export interface RelayLogShape {
  messages: number;
  conversations: number;
  seed: number;
}

/** Returns the log's head seq once every message is recorded. */
export function fillRelayLog(dbPath: string, shape: RelayLogShape, clock: Clock): number {
  const store = openSqliteRelayStore(dbPath);
  try {
    const random = seededRandom(shape.seed);
    // Recent enough that the relay's event horizon keeps every event.
    const start = clock.now() - 2 * 24 * 3600_000;
    for (let first = 0; first < shape.messages; first += BATCH) {
      store.transaction(() => {
        for (let i = first; i < Math.min(shape.messages, first + BATCH); i++) {
          recordInbound(store, inboundMessage(i, shape, random, start), clock.now());
        }
      });
    }
    return store.headSeq();
  } finally {
    store.close();
  }
}

function inboundMessage(
  index: number,
  shape: RelayLogShape,
  random: () => number,
  start: number,
): InboundMessage {
  const customer = index % shape.conversations;
  const waId = `5939${String(10_000_000 + customer)}`;
  const text = messageText(random);
  return {
    phoneNumberId: BENCH_PHONE_NUMBER_ID,
    customer: {
      key: waId,
      waId,
      userId: null,
      name: `${FIRST_NAMES[customer % FIRST_NAMES.length] ?? 'Ana'} ${customer}`,
    },
    waMessageId: `wamid.bench.${index}`,
    type: 'text',
    text,
    preview: text,
    timestamp: start + index * 1000,
    payload: { body: text },
    error: null,
    media: null,
    context: null,
    referral: null,
  };
}
