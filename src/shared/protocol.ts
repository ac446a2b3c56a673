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
  phoneNumberSchema,
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
]);
export type RelayEvent = z.infer<typeof relayEventSchema>;
export type RelayEventType = RelayEvent['type'];

export const commandSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('send_text'),
    conversationId: z.string().min(1),
    text: z.string().trim().min(1).max(4096),
  }),
]);
export type Command = z.infer<typeof commandSchema>;

export const mutationIdSchema = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const commandResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), messageId: z.string() }),
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
  }),
  z.object({ type: z.literal('snapshot_done'), cursor: z.number().int().nonnegative() }),
  z.object({ type: z.literal('error'), error: errorInfoSchema }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/** Parses one text frame; never throws. */
export function parseFrame<T>(schema: z.ZodType<T>, text: string): { ok: true; frame: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, frame: parsed.data } : { ok: false, reason: z.prettifyError(parsed.error) };
}
