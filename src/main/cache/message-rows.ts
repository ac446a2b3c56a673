// How a message is stored in the cache's `messages` table, both ways: the row a query answers and
// the parameters an insert or update takes. JSON columns are validated on the way out.
import { z } from 'zod';
import {
  mediaSchema,
  messageContextSchema,
  messageStatusSchema,
  pricingSchema,
  whatsAppErrorSchema,
  type Message,
} from '../../shared/domain.ts';
import { fromJsonColumn, toJsonColumn } from './json-columns.ts';

export interface MessageRow {
  id: string;
  conversation_id: string;
  phone_number_id: string;
  direction: string;
  type: string;
  text: string | null;
  wa_message_id: string | null;
  timestamp: number;
  status: string;
  status_at: number | null;
  error_json: string | null;
  pricing_json: string | null;
  author_id: string | null;
  payload_json: string | null;
  media_json: string | null;
  context_json: string | null;
  waiting_until: number | null;
}

const payloadSchema = z.record(z.string(), z.unknown());
const directionColumn = z.enum(['in', 'out']);

export function messageParams(message: Message): Record<string, unknown> {
  return {
    id: message.id,
    conversationId: message.conversationId,
    phoneNumberId: message.phoneNumberId,
    direction: message.direction,
    type: message.type,
    text: message.text,
    waMessageId: message.waMessageId,
    timestamp: message.timestamp,
    status: message.status,
    statusAt: message.statusAt,
    errorJson: toJsonColumn(message.error),
    pricingJson: toJsonColumn(message.pricing),
    authorId: message.authorId,
    payloadJson: toJsonColumn(message.payload),
    mediaJson: toJsonColumn(message.media),
    contextJson: toJsonColumn(message.context),
    waitingUntil: message.waitingUntil,
  };
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    phoneNumberId: row.phone_number_id,
    direction: directionColumn.parse(row.direction),
    type: row.type,
    text: row.text,
    waMessageId: row.wa_message_id,
    timestamp: row.timestamp,
    status: messageStatusSchema.parse(row.status),
    statusAt: row.status_at,
    error: fromJsonColumn(whatsAppErrorSchema, row.error_json, 'messages.error_json'),
    pricing: fromJsonColumn(pricingSchema, row.pricing_json, 'messages.pricing_json'),
    authorId: row.author_id,
    payload: fromJsonColumn(payloadSchema, row.payload_json, 'messages.payload_json'),
    media: fromJsonColumn(mediaSchema, row.media_json, 'messages.media_json'),
    context: fromJsonColumn(messageContextSchema, row.context_json, 'messages.context_json'),
    waitingUntil: row.waiting_until,
  };
}
