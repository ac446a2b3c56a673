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
]);
