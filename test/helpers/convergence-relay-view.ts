// The relay's own view, to hold a converged cache against: the whole stream a fresh console of the
// same visibility would read, folded to the latest state of each thing, next to the same fields read
// from a cache file with plain SQL (independent of the console's own reading code).
import Database from 'better-sqlite3';
import { readRelayStream } from './console-stream-reader.ts';

export interface MirrorView {
  /** id -> "direction status waMessageId conversationId text". */
  messages: Map<string, string>;
  /** id -> "status assigneeId lastMessageAt preview". */
  conversations: Map<string, string>;
  /** key -> status. */
  templates: Map<string, string>;
}

const messageLine = (m: {
  direction: string;
  status: string;
  waMessageId: string | null;
  conversationId: string;
  text: string | null;
}) => [m.direction, m.status, m.waMessageId ?? '-', m.conversationId, m.text ?? ''].join(' ');

const conversationLine = (c: {
  status: string;
  assigneeId: string | null;
  lastMessageAt: number;
  lastMessagePreview: string;
}) => [c.status, c.assigneeId ?? '-', c.lastMessageAt, c.lastMessagePreview].join(' ');

export async function relayView(relayUrl: string, token: string): Promise<MirrorView & { cursor: number }> {
  const stream = await readRelayStream(relayUrl, token);
  if (stream.reset !== null)
    throw new Error(`the relay rebuilt the reader (${stream.reset}); fold snapshots too`);
  const view: MirrorView = { messages: new Map(), conversations: new Map(), templates: new Map() };
  for (const event of stream.events) {
    if (event.type === 'message.upserted') view.messages.set(event.message.id, messageLine(event.message));
    if (event.type === 'conversation.upserted')
      view.conversations.set(event.conversation.id, conversationLine(event.conversation));
    if (event.type === 'template.upserted') view.templates.set(event.template.key, event.template.status);
  }
  return { ...view, cursor: stream.cursor };
}

export function cacheView(cachePath: string): MirrorView {
  const db = new Database(cachePath, { readonly: true });
  try {
    const messages = db
      .prepare<
        [],
        {
          id: string;
          direction: string;
          status: string;
          wa_message_id: string | null;
          conversation_id: string;
          text: string | null;
        }
      >('SELECT id, direction, status, wa_message_id, conversation_id, text FROM messages')
      .all();
    const conversations = db
      .prepare<
        [],
        {
          id: string;
          status: string;
          assignee_id: string | null;
          last_message_at: number;
          last_message_preview: string;
        }
      >('SELECT id, status, assignee_id, last_message_at, last_message_preview FROM conversations')
      .all();
    const templates = db
      .prepare<[], { key: string; status: string }>('SELECT key, status FROM templates')
      .all();
    return {
      messages: new Map(
        messages.map((m) => [
          m.id,
          messageLine({
            direction: m.direction,
            status: m.status,
            waMessageId: m.wa_message_id,
            conversationId: m.conversation_id,
            text: m.text,
          }),
        ]),
      ),
      conversations: new Map(
        conversations.map((c) => [
          c.id,
          conversationLine({
            status: c.status,
            assigneeId: c.assignee_id,
            lastMessageAt: c.last_message_at,
            lastMessagePreview: c.last_message_preview,
          }),
        ]),
      ),
      templates: new Map(templates.map((t) => [t.key, t.status])),
    };
  } finally {
    db.close();
  }
}

/** Maps as sorted entry lists, for a toEqual that prints well. */
export function sortedEntries(map: Map<string, string>): [string, string][] {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}
