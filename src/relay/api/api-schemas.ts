// The REST API's request and response shapes, as zod schemas. The router validates every request and
// every answer with them, and the OpenAPI document is generated from them, so the three never differ.
// Response shapes are registered under a name in `apiComponents` (the document's components/schemas).
import { z } from 'zod';
import {
  agentSchema,
  alertSchema,
  conversationSchema,
  conversationStatusSchema,
  messageSchema,
  phoneNumberSchema,
  templateSchema,
} from '../../shared/domain.ts';
import { commandResultSchema, commandSchema, mutationIdSchema } from '../../shared/protocol.ts';
import { errorInfoSchema } from '../../shared/result.ts';
import { cursorParam } from './cursor.ts';

/** Names the response shapes in the OpenAPI document (components/schemas). */
export const apiComponents = z.registry<{ id: string }>();
const named = <T extends z.ZodType>(schema: T, id: string): T => {
  apiComponents.add(schema, { id });
  return schema;
};

named(conversationSchema, 'Conversation');
named(messageSchema, 'Message');
named(templateSchema, 'Template');
named(agentSchema, 'Agent');
named(phoneNumberSchema, 'PhoneNumber');
named(alertSchema, 'Alert');

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
/** `window=expiring`: the window closes within this long, on the relay's clock. */
export const EXPIRING_WITHIN_MS = 60 * 60 * 1000;
/** Commands are small JSON; anything larger is refused before it is read. */
export const MAX_COMMAND_BYTES = 64 * 1024;

const pageSize = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_PAGE_SIZE)
  .default(DEFAULT_PAGE_SIZE)
  .meta({ description: `How many items per page (1-${MAX_PAGE_SIZE}).` });

export const apiErrorSchema = named(z.object({ error: errorInfoSchema }), 'Error');
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

// ---- health -----------------------------------------------------------------------------------

export const healthSchema = named(z.object({ status: z.literal('ok') }), 'Health');
export const readySchema = named(z.object({ status: z.literal('ready') }), 'Ready');

export const openApiDocumentSchema = named(
  z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }),
  'OpenApiDocument',
);

// ---- the caller ---------------------------------------------------------------------------------

export const meSchema = named(
  z.object({
    agent: agentSchema,
    /** The relay's clock (ms): countdowns are right even on a skewed desktop. */
    serverTime: z.number(),
  }),
  'Me',
);

// ---- conversations ------------------------------------------------------------------------------

/** Sort key of the conversation list: newest activity first, ties by id. */
export const conversationCursorKeySchema = z.tuple([z.number(), z.string()]);

export const conversationListQuerySchema = z.strictObject({
  phoneNumberId: z.string().min(1).optional().meta({ description: 'Only this business number.' }),
  status: conversationStatusSchema.optional().meta({ description: 'open or closed.' }),
  assigneeId: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Only conversations assigned to this agent id, or `unassigned`.' }),
  window: z.enum(['open', 'closed', 'expiring']).optional().meta({
    description:
      'The 24-hour customer-service window on the relay clock: open, closed, or expiring (open and closing within the hour).',
  }),
  cursor: cursorParam(conversationCursorKeySchema, 'nextCursor of the previous page.').optional(),
  limit: pageSize,
});
export type ConversationListQuery = z.output<typeof conversationListQuerySchema>;

export const conversationPageSchema = named(
  z.object({
    /** Newest activity first. */
    conversations: z.array(conversationSchema),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
  }),
  'ConversationPage',
);

export const conversationParamsSchema = z.strictObject({
  conversationId: z.string().min(1).meta({ description: '`{phoneNumberId}:{customer key}`' }),
});

// ---- messages -----------------------------------------------------------------------------------

/** Sort key of a conversation's messages: timestamp, ties by arrival. */
export const messageCursorKeySchema = z.tuple([z.number(), z.number().int()]);

export const messagePageQuerySchema = z
  .strictObject({
    before: cursorParam(
      messageCursorKeySchema,
      'Messages older than this cursor (olderCursor of a page).',
    ).optional(),
    after: cursorParam(
      messageCursorKeySchema,
      'Messages newer than this cursor (newerCursor of a page); poll with it for new messages.',
    ).optional(),
    limit: pageSize,
  })
  .refine((query) => query.before === undefined || query.after === undefined, {
    message: 'give before or after, not both',
  });
export type MessagePageQuery = z.output<typeof messagePageQuerySchema>;

export const messagePageSchema = named(
  z.object({
    /** Oldest first. Without a cursor: the newest messages. */
    messages: z.array(messageSchema),
    /** The oldest message of this page as a `before` cursor (null when the page is empty and no cursor was given). */
    olderCursor: z.string().nullable(),
    /** The newest message of this page as an `after` cursor (null when the page is empty and no cursor was given). */
    newerCursor: z.string().nullable(),
    hasOlder: z.boolean(),
    hasNewer: z.boolean(),
  }),
  'MessagePage',
);

// ---- catalog ------------------------------------------------------------------------------------

export const templateListQuerySchema = z.strictObject({
  status: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'APPROVED, PENDING, REJECTED, PAUSED, ... (any case).' }),
  category: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'MARKETING, UTILITY or AUTHENTICATION (any case).' }),
  language: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'A language code as Meta writes it, e.g. es_MX.' }),
});
export type TemplateListQuery = z.output<typeof templateListQuerySchema>;

export const templateListSchema = named(z.object({ templates: z.array(templateSchema) }), 'TemplateList');

export const phoneNumberListSchema = named(
  z.object({ phoneNumbers: z.array(phoneNumberSchema) }),
  'PhoneNumberList',
);

export const alertListQuerySchema = z.strictObject({ limit: pageSize });
export const alertListSchema = named(
  z.object({
    /** The newest alerts, oldest first. */
    alerts: z.array(alertSchema),
  }),
  'AlertList',
);

// ---- agents -------------------------------------------------------------------------------------

export const presenceSchema = named(
  z.object({
    /** A console of this agent is connected to the relay now. */
    online: z.boolean(),
    /** Since when (relay clock, ms) its longest-connected console is connected; null when offline. */
    since: z.number().nullable(),
    /** How many consoles of this agent are connected. */
    consoles: z.number().int().nonnegative(),
  }),
  'Presence',
);

export const agentWithPresenceSchema = named(
  z.object({ ...agentSchema.shape, presence: presenceSchema }),
  'AgentWithPresence',
);

export const agentListSchema = named(
  z.object({
    /** Agents whose token is valid (revoked ones are left out), oldest first. */
    agents: z.array(agentWithPresenceSchema),
  }),
  'AgentList',
);

// ---- commands -----------------------------------------------------------------------------------

export const commandRequestSchema = z.strictObject({
  /** The idempotency key: the same id sent again gets the first outcome and is never carried out twice. */
  mutationId: mutationIdSchema,
  command: commandSchema,
});

export const commandDoneSchema = named(commandResultSchema.options[0], 'CommandDone');
export const commandRefusedSchema = named(commandResultSchema.options[1], 'CommandRefused');
