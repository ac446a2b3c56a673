// How a conversation is stored in the cache's `conversations` table, as an inbox item.
import { z } from 'zod';
import type { ConversationListItem } from '../../shared/console-api.ts';
import { referralSchema } from '../../shared/domain.ts';
import { fromJsonColumn } from './json-columns.ts';

export interface ConversationRow {
  id: string;
  phone_number_id: string;
  customer_key: string;
  customer_wa_id: string | null;
  customer_user_id: string | null;
  customer_name: string | null;
  status: string;
  assignee_id: string | null;
  last_inbound_at: number | null;
  window_expires_at: number | null;
  last_message_at: number;
  last_message_preview: string;
  unread_count: number;
  referral_json: string | null;
}

const conversationStatusColumn = z.enum(['open', 'closed']);

export function toConversation(row: ConversationRow): ConversationListItem {
  return {
    id: row.id,
    phoneNumberId: row.phone_number_id,
    customer: {
      key: row.customer_key,
      waId: row.customer_wa_id,
      userId: row.customer_user_id,
      name: row.customer_name,
    },
    status: conversationStatusColumn.parse(row.status),
    assigneeId: row.assignee_id,
    lastInboundAt: row.last_inbound_at,
    windowExpiresAt: row.window_expires_at,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    referral: fromJsonColumn(referralSchema, row.referral_json, 'conversations.referral_json'),
    unreadCount: row.unread_count,
  };
}
