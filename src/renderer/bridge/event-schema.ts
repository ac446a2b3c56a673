// Event frames from the web host are checked at this edge like any other input.
import { z } from 'zod';
import type { ConsoleEvent, SyncStatus } from '../../shared/console-api.ts';

export const syncStatusSchema: z.ZodType<SyncStatus> = z.object({
  state: z.enum(['connecting', 'catching_up', 'connected', 'offline', 'error']),
  cursor: z.number(),
  headSeq: z.number(),
  offlineSince: z.number().nullable(),
  error: z.string().nullable(),
  clockOffsetMs: z.number(),
});

export const consoleEventSchema: z.ZodType<ConsoleEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversations.changed'), conversationIds: z.array(z.string()) }),
  z.object({ type: z.literal('messages.changed'), conversationId: z.string() }),
  z.object({ type: z.literal('sync.status'), status: syncStatusSchema }),
  z.object({
    type: z.literal('catalog.changed'),
    catalog: z.enum(['templates', 'quick_replies', 'notes']),
    conversationId: z.string().nullable(),
  }),
  z.object({ type: z.literal('session.changed') }),
  z.object({ type: z.literal('unread.changed'), unreadTotal: z.number().int().nonnegative() }),
  z.object({
    type: z.literal('notification'),
    notification: z.object({ title: z.string(), body: z.string(), conversationId: z.string().nullable() }),
  }),
  z.object({ type: z.literal('conversation.open'), conversationId: z.string() }),
]);
