// The relay <-> console wire protocol (WebSocket, JSON text frames). Both ends validate every frame
// with these schemas; a frame that fails is rejected without touching any state.
//
// Connection: `GET /v1/sync` upgraded to WebSocket with `Authorization: Bearer <agent token>`.
//   console -> hello {protocol, clientId, cursor}
//   relay   -> welcome {serverTime, agent, headSeq}
//   relay   -> events* (pages of seq > cursor), then caught_up, then live events frames
//   console -> command {mutationId, command}   relay -> command_result {mutationId, result}
import { z } from 'zod';
import {
  agentSchema,
  alertSchema,
  conversationSchema,
  messageSchema,
  noteSchema,
  phoneNumberSchema,
  quickReplySchema,
  templateSchema,
} from './domain.ts';
import { errorInfoSchema } from './result.ts';

export const PROTOCOL_VERSION = 1;
export const SYNC_PATH = '/v1/sync';
/** Events per replay page: bounds the relay's memory per console and the console's transaction size. */
export const REPLAY_PAGE_SIZE = 500;
/** The largest frame either side accepts. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Close codes the relay uses, so the console can tell why and what to do. */
export const closeCodes = {
  protocolMismatch: 4002,
  badFrame: 4003,
  helloTimeout: 4004,
  slowConsumer: 4008,
  revoked: 4010,
  shuttingDown: 4011,
} as const;

const eventBase = {
  /** Monotonic position in the relay's event log. */
  seq: z.number().int().positive(),
  /** Relay clock when the event was logged (ms). */
  at: z.number(),
  /** The business number the event belongs to (visibility), or null for account-wide events. */
  phoneNumberId: z.string().nullable(),
};

/**
 * Every event carries the whole new state of what it names, so applying one is an idempotent upsert.
 * Visibility: agents see events of their numbers and every account-wide event except alerts;
 * supervisors and admins see everything except alerts, which only admins see.
 */
export const relayEventSchema = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal('conversation.upserted'), conversation: conversationSchema }),
  z.object({ ...eventBase, type: z.literal('message.upserted'), message: messageSchema }),
  z.object({ ...eventBase, type: z.literal('template.upserted'), template: templateSchema }),
  z.object({ ...eventBase, type: z.literal('phone_number.upserted'), phoneNumber: phoneNumberSchema }),
  z.object({ ...eventBase, type: z.literal('alert.raised'), alert: alertSchema }),
  z.object({ ...eventBase, type: z.literal('note.upserted'), note: noteSchema }),
  z.object({ ...eventBase, type: z.literal('quick_reply.upserted'), quickReply: quickReplySchema }),
  z.object({ ...eventBase, type: z.literal('quick_reply.deleted'), quickReplyId: z.string() }),
]);
export type RelayEvent = z.infer<typeof relayEventSchema>;
export type RelayEventType = RelayEvent['type'];

const conversationRef = { conversationId: z.string().min(1) };
/** A message of the conversation, by its id (the wamid for inbound messages). */
const messageRef = { ...conversationRef, messageId: z.string().min(1) };

/**
 * Values for a template's variables, as the agent filled them in the picker. The relay checks them
 * against the template's components before anything reaches Meta.
 */
export const templateParametersSchema = z.object({
  /** Header: a text value, or a media (an upload id from POST /v1/uploads, or a public link). */
  header: z
    .union([
      z.object({ type: z.literal('text'), text: z.string() }),
      z.object({
        type: z.enum(['image', 'video', 'document']),
        uploadId: z.string().optional(),
        link: z.string().url().optional(),
        filename: z.string().optional(),
      }),
      z.object({
        type: z.literal('location'),
        latitude: z.number(),
        longitude: z.number(),
        name: z.string().optional(),
        address: z.string().optional(),
      }),
    ])
    .optional(),
  /** Body values: by position ("1", "2", ...) or by name for NAMED templates. */
  body: z.record(z.string(), z.string()).default({}),
  /** Per button index: the URL suffix, quick-reply payload, or the copy code (authentication). */
  buttons: z.record(z.string(), z.string()).default({}),
});
export type TemplateParameters = z.infer<typeof templateParametersSchema>;

export const commandSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('send_text'),
    ...conversationRef,
    text: z.string().trim().min(1).max(4096),
    /** Quote a message of the conversation (Meta's reply context). */
    replyTo: z.string().min(1).optional(),
    /** Let WhatsApp show a preview of the first link. */
    previewUrl: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('send_template'),
    ...conversationRef,
    name: z.string().min(1),
    language: z.string().min(1),
    parameters: templateParametersSchema.default({ body: {}, buttons: {} }),
  }),
  z.object({
    kind: z.literal('send_media'),
    ...conversationRef,
    /** From POST /v1/uploads: the relay holds the bytes and uploads them to Meta. */
    uploadId: z.string().min(1),
    caption: z.string().max(1024).optional(),
    replyTo: z.string().min(1).optional(),
  }),
  z.object({ kind: z.literal('send_reaction'), ...messageRef, emoji: z.string().max(16) }),
  z.object({ kind: z.literal('mark_read'), ...messageRef }),
  z.object({ kind: z.literal('assign'), ...conversationRef, agentId: z.string().min(1) }),
  z.object({ kind: z.literal('unassign'), ...conversationRef }),
  /** Hand a conversation from its current assignee to another agent (supervisors, or the assignee). */
  z.object({ kind: z.literal('transfer'), ...conversationRef, toAgentId: z.string().min(1) }),
  z.object({ kind: z.literal('close'), ...conversationRef }),
  z.object({ kind: z.literal('reopen'), ...conversationRef }),
  z.object({ kind: z.literal('add_note'), ...conversationRef, text: z.string().trim().min(1).max(4096) }),
  z.object({
    kind: z.literal('quick_reply_create'),
    shortcut: z.string().regex(/^[\p{L}\p{N}_-]{1,32}$/u),
    text: z.string().trim().min(1).max(4096),
  }),
  z.object({
    kind: z.literal('quick_reply_update'),
    quickReplyId: z.string().min(1),
    shortcut: z
      .string()
      .regex(/^[\p{L}\p{N}_-]{1,32}$/u)
      .optional(),
    text: z.string().trim().min(1).max(4096).optional(),
  }),
  z.object({ kind: z.literal('quick_reply_delete'), quickReplyId: z.string().min(1) }),
  /** Fetch every page of the account's templates from Meta now. */
  z.object({ kind: z.literal('sync_templates') }),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandKind = Command['kind'];

export const mutationIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export const commandResultSchema = z.discriminatedUnion('ok', [
  /** Accepted and executed. `messageId`: the message (or note, quick reply) it created or changed. */
  z.object({ ok: z.literal(true), messageId: z.string().nullable() }),
  z.object({ ok: z.literal(false), error: errorInfoSchema }),
]);
export type CommandResult = z.infer<typeof commandResultSchema>;

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    protocol: z.number().int(),
    clientId: z.string().min(1).max(128),
    cursor: z.number().int().nonnegative(),
    /** The visibility epoch the console's cache was built for (from its last welcome); 0 when empty. */
    epoch: z.number().int().nonnegative().default(0),
  }),
  z.object({ type: z.literal('command'), mutationId: mutationIdSchema, command: commandSchema }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    protocol: z.number().int(),
    /** The relay's clock (ms) when it sent this frame: consoles count windows down on relay time. */
    serverTime: z.number(),
    agent: agentSchema,
    headSeq: z.number().int().nonnegative(),
    /** Bumped whenever the agent's visibility changes (numbers, role): a cache of another epoch is rebuilt. */
    epoch: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('events'),
    events: z.array(relayEventSchema),
    /** The highest seq this frame covers (events the console may not see leave gaps): store it as the cursor. */
    cursor: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('caught_up'), cursor: z.number().int().nonnegative() }),
  z.object({ type: z.literal('command_result'), mutationId: mutationIdSchema, result: commandResultSchema }),
  /**
   * A `welcome` can come again on an open connection when the agent's visibility changes (new
   * numbers or role): it carries the new agent and epoch, and a `reset {reason:'visibility'}` follows.
   *
   * The console's cache cannot be brought up to date by replay (its cursor is older than the log's
   * horizon, or the agent's visibility changed): it must wipe its mirror (keeping its outbox), then
   * apply the `snapshot` pages that follow, then store `snapshot_done.cursor` and go on with events.
   */
  z.object({ type: z.literal('reset'), reason: z.enum(['horizon', 'visibility', 'cursor_ahead']) }),
  z.object({
    type: z.literal('snapshot'),
    conversations: z.array(conversationSchema),
    messages: z.array(messageSchema),
    templates: z.array(templateSchema),
    phoneNumbers: z.array(phoneNumberSchema),
    /** Admins only: the most recent alerts, so a rebuild does not forget them. */
    alerts: z.array(alertSchema).default([]),
    /** Internal notes of the conversations the agent sees. */
    notes: z.array(noteSchema).default([]),
    /** The team's quick replies (everyone sees them). */
    quickReplies: z.array(quickReplySchema).default([]),
  }),
  z.object({ type: z.literal('snapshot_done'), cursor: z.number().int().nonnegative() }),
  z.object({ type: z.literal('error'), error: errorInfoSchema }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/** Parses one text frame; never throws. */
export function parseFrame<T>(
  schema: z.ZodType<T>,
  text: string,
): { ok: true; frame: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success
    ? { ok: true, frame: parsed.data }
    : { ok: false, reason: z.prettifyError(parsed.error) };
}
