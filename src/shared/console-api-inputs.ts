// Input schemas of the ConsoleApi's methods: main validates every call against these before the core
// sees it (src/main/api/dispatch.ts), whichever transport carried it.
import { z } from 'zod';
import type { ConsoleMethod } from './console-api.ts';
import { CONVERSATION_VIEWS } from './console-api.ts';
import { templateParametersSchema } from './protocol.ts';

const noInput = z.object({}).strict();
const id = z.string().min(1).max(256);
const conversationRef = z.object({ conversationId: id }).strict();
const messageText = z
  .string()
  .trim()
  .min(1, 'Write a message first')
  .max(4096, 'WhatsApp takes at most 4,096 characters');
const quickReplyShortcut = z
  .string()
  .regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'A shortcut is 1 to 32 letters, digits, - or _ (without the /)');

/** Meta's largest media (documents, 100 MB), as base64: both transports carry it as a string. */
const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/** Input schemas of every method, validated by main before the core sees them. */
export const consoleMethodInputs = {
  getSession: noInput,
  signIn: z
    .object({
      /** Ignored (the policy's is used) when IT has locked the relay URL. */
      relayUrl: z.url({
        protocol: /^https?$/,
        error: 'The relay address must start with http:// or https://',
      }),
      token: z.string().trim().min(16, 'That token is too short: paste the whole token').max(512),
    })
    .strict(),
  signOut: z
    .object({
      /** Also delete this agent's cache (messages, media) from this computer. */
      wipeCache: z.boolean().default(false),
    })
    .strict(),
  getPolicy: noInput,
  getSyncStatus: noInput,
  listConversations: z
    .object({
      view: z.enum(CONVERSATION_VIEWS).default('open'),
      /** Only this business number's conversations. */
      phoneNumberId: id.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      /** The previous page's nextCursor. */
      after: z.object({ lastMessageAt: z.number(), id }).strict().optional(),
    })
    .strict(),
  getConversation: conversationRef,
  getMessages: z
    .object({
      conversationId: id,
      limit: z.number().int().min(1).max(500).default(100),
      /** Only messages older than this message (page backwards). */
      before: id.optional(),
      /** Only messages newer than this message (page forwards, e.g. after jumping to a search hit). */
      after: id.optional(),
      /** A page centred on this message (a search hit). */
      around: id.optional(),
    })
    .strict()
    .refine((input) => [input.before, input.after, input.around].filter((v) => v !== undefined).length <= 1, {
      message: 'Give at most one of before, after and around',
    }),
  listNotes: conversationRef,
  searchMessages: z
    .object({
      /** What the agent typed: words, the last one taken as a prefix. Never FTS syntax. */
      query: z.string().max(500),
      limit: z.number().int().min(1).max(100).default(50),
      /** Only this conversation's messages. */
      conversationId: id.optional(),
    })
    .strict(),
  markConversationRead: conversationRef,
  sendText: z
    .object({
      conversationId: id,
      text: messageText,
      /** Quote this message of the conversation. */
      replyTo: id.optional(),
    })
    .strict(),
  sendTemplate: z
    .object({
      conversationId: id,
      name: z.string().min(1).max(512),
      language: z.string().min(1).max(16),
      parameters: templateParametersSchema.default({ body: {}, buttons: {} }),
    })
    .strict(),
  sendMedia: z
    .object({
      conversationId: id,
      file: z
        .object({
          name: z.string().min(1).max(240),
          mimeType: z.string().min(1).max(255),
          dataBase64: z
            .base64('The file must be base64')
            .max(Math.ceil(MAX_MEDIA_BYTES / 3) * 4, 'WhatsApp takes files of at most 100 MB'),
        })
        .strict(),
      caption: z.string().max(1024, 'A caption is at most 1,024 characters').optional(),
      replyTo: id.optional(),
    })
    .strict(),
  sendReaction: z
    .object({
      conversationId: id,
      messageId: id,
      /** One emoji; empty removes the reaction. */
      emoji: z.string().max(16),
    })
    .strict(),
  addNote: z.object({ conversationId: id, text: messageText }).strict(),
  assignConversation: z
    .object({
      conversationId: id,
      /** null: unassign. */
      agentId: id.nullable(),
    })
    .strict(),
  transferConversation: z.object({ conversationId: id, toAgentId: id }).strict(),
  closeConversation: conversationRef,
  reopenConversation: conversationRef,
  retryMessage: z.object({ messageId: id }).strict(),
  discardMessage: z.object({ messageId: id }).strict(),
  listTemplates: noInput,
  syncTemplates: noInput,
  listQuickReplies: noInput,
  saveQuickReply: z
    .object({
      /** Absent: a new quick reply. */
      id: id.optional(),
      shortcut: quickReplyShortcut,
      text: messageText,
    })
    .strict(),
  deleteQuickReply: z.object({ id }).strict(),
} as const satisfies Record<ConsoleMethod, z.ZodType>;
