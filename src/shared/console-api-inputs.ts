// Input schemas of the ConsoleApi's methods: main validates every call against these before the core
// sees it (src/main/api/dispatch.ts), whichever transport carried it.
import { z } from 'zod';
import type { ConsoleMethod } from './console-api.ts';

const noInput = z.object({}).strict();
const conversationRef = z.object({ conversationId: z.string().min(1) }).strict();

/** Input schemas of every method, validated by main before the core sees them. */
export const consoleMethodInputs = {
  getSession: noInput,
  getSyncStatus: noInput,
  listConversations: z
    .object({
      limit: z.number().int().min(1).max(500).default(200),
    })
    .strict(),
  getMessages: z
    .object({
      conversationId: z.string().min(1),
      limit: z.number().int().min(1).max(500).default(100),
      /** Page backwards: only messages older than this timestamp (ms). */
      before: z.number().optional(),
    })
    .strict(),
  sendText: z
    .object({
      conversationId: z.string().min(1),
      text: z
        .string()
        .trim()
        .min(1, 'Write a message first')
        .max(4096, 'WhatsApp takes at most 4,096 characters'),
    })
    .strict(),
  markConversationRead: conversationRef,
  searchMessages: z
    .object({
      /** What the agent typed: words, the last one taken as a prefix. Never FTS syntax. */
      query: z.string().max(500),
      limit: z.number().int().min(1).max(100).default(50),
      /** Only this conversation's messages. */
      conversationId: z.string().min(1).optional(),
    })
    .strict(),
} as const satisfies Record<ConsoleMethod, z.ZodType>;
