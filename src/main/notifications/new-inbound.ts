// Reads, from the console's cache, the inbound messages the watermark has not examined yet, marks
// them examined, and returns those the agent should hear about (in their conversations, with
// something to say). A message whose conversation row has not arrived yet is left for a later
// read: without it there is no telling whose it is.
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { AGENT_SCOPE_SQL } from './agent-scope.ts';
import { customerTitle } from './customer-title.ts';
import type { InboundWatermark } from './inbound-watermark.ts';
import { messageLine } from './message-line.ts';
import type { NotificationStrings } from './notification-strings.ts';

/** One inbound message worth a notification. */
export interface NewsItem {
  messageId: string;
  conversationId: string;
  timestamp: number;
  /** The customer, as the notification names them. */
  title: string;
  /** What the message says (text, or its type's icon and name). */
  line: string;
}

interface CandidateRow {
  id: string;
  timestamp: number;
  /** 1: the agent's conversation, 0: a teammate's, null: conversation not cached yet. */
  in_scope: number | null;
}

interface DetailRow {
  conversation_id: string;
  type: string;
  text: string | null;
  payload_json: string | null;
  customer_key: string;
  customer_wa_id: string | null;
  customer_user_id: string | null;
  customer_name: string | null;
}

const payloadSchema = z.record(z.string(), z.unknown());

export class NewInbound {
  readonly #candidates: Statement<[{ floor: number; agentId: string | null }], CandidateRow>;
  readonly #details: Statement<[string], DetailRow>;
  readonly #newest: Statement<[], number | null>;
  readonly #recent: Statement<[number], { id: string; timestamp: number }>;

  constructor(db: Database) {
    // messages_by_time keeps this to the rows above the floor.
    this.#candidates = db.prepare(`
      SELECT m.id, m.timestamp,
        CASE WHEN c.id IS NULL THEN NULL ELSE ${AGENT_SCOPE_SQL} END AS in_scope
      FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id
      WHERE m.direction = 'in' AND m.timestamp >= @floor
      ORDER BY m.timestamp, m.rowid`);
    this.#details = db.prepare(`
      SELECT m.conversation_id, m.type, m.text, m.payload_json,
        c.customer_key, c.customer_wa_id, c.customer_user_id, c.customer_name
      FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.id = ?`);
    this.#newest = db
      .prepare<[], number | null>(`SELECT MAX(timestamp) FROM messages WHERE direction = 'in'`)
      .pluck();
    this.#recent = db.prepare(`SELECT id, timestamp FROM messages WHERE direction = 'in' AND timestamp >= ?`);
  }

  /**
   * Marks what the cache holds now as examined, without reading it as news: at open (what is cached
   * was seen before), and after a first sync into an empty cache (history, not news).
   */
  absorb(watermark: InboundWatermark): void {
    const newest = this.#newest.get() ?? null;
    if (newest === null) return;
    watermark.raiseTo(newest);
    for (const row of this.#recent.all(watermark.floor ?? newest)) watermark.mark(row.id, row.timestamp);
    watermark.prune();
  }

  /** True while the cache holds no inbound message at all. */
  isEmpty(): boolean {
    return (this.#newest.get() ?? null) === null;
  }

  read(watermark: InboundWatermark, agentId: string | null, strings: NotificationStrings): NewsItem[] {
    const news: NewsItem[] = [];
    const floor = watermark.floor ?? Number.MIN_SAFE_INTEGER;
    for (const row of this.#candidates.all({ floor, agentId })) {
      if (row.in_scope === null || watermark.has(row.id)) continue;
      watermark.mark(row.id, row.timestamp);
      if (row.in_scope !== 1) continue;
      const item = this.#item(row, strings);
      if (item) news.push(item);
    }
    watermark.prune();
    return news;
  }

  #item(row: CandidateRow, strings: NotificationStrings): NewsItem | null {
    const detail = this.#details.get(row.id);
    if (!detail) return null;
    const payload = parsePayload(detail.payload_json);
    const line = messageLine({ type: detail.type, text: detail.text, payload }, strings);
    if (line === null) return null;
    return {
      messageId: row.id,
      conversationId: detail.conversation_id,
      timestamp: row.timestamp,
      title: customerTitle({
        name: detail.customer_name,
        waId: detail.customer_wa_id,
        userId: detail.customer_user_id,
        key: detail.customer_key,
      }),
      line,
    };
  }
}

function parsePayload(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // a payload we cannot read only costs the voice-note label
  }
}
