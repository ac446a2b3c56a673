// The domain as the relay stores it and every console mirrors it. Schemas validate at the edges
// (frames from the relay, the relay's own storage reads); the inferred types are trusted inside.
import { z } from 'zod';

export const roleSchema = z.enum(['agent', 'supervisor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  /** Phone-number ids this agent is a member of; `'all'` for every number. */
  numbers: z.union([z.literal('all'), z.array(z.string())]),
});
export type Agent = z.infer<typeof agentSchema>;

/**
 * Delivery state of a message, in the only order it may move:
 * queued (relay accepted the command) < accepted (Meta answered the send) < sent < failed < delivered < read < played.
 * `failed` beats sent but yields to a later delivered/read (Meta sends them out of order); `unknown` means the
 * send's outcome was lost (timeout or 5xx) and any later status settles it. Inbound messages are `received`.
 */
export const messageStatusSchema = z.enum([
  'received',
  'queued',
  'accepted',
  'sent',
  'delivered',
  'read',
  'played',
  'failed',
  'unknown',
]);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

const forwardRank: Record<MessageStatus, number> = {
  received: 0,
  unknown: 0,
  queued: 1,
  accepted: 2,
  sent: 3,
  failed: 4,
  delivered: 5,
  read: 6,
  played: 7,
};

/** True when `next` may replace `current`: statuses only move forward, whatever order they arrive in. */
export function statusMovesForward(current: MessageStatus, next: MessageStatus): boolean {
  if (current === 'received' || next === 'received') return false;
  return forwardRank[next] > forwardRank[current];
}

/** Meta's error object as it arrives in send answers and `failed` statuses. */
export const whatsAppErrorSchema = z.object({
  code: z.number(),
  title: z.string(),
  message: z.string().optional(),
  details: z.string().optional(),
});
export type WhatsAppError = z.infer<typeof whatsAppErrorSchema>;

export const pricingSchema = z.object({
  billable: z.boolean().optional(),
  category: z.string().optional(),
  type: z.string().optional(),
  model: z.string().optional(),
});
export type Pricing = z.infer<typeof pricingSchema>;

export const customerSchema = z.object({
  /** Stable key of the customer within a business number: the wa_id, or the business-scoped user id. */
  key: z.string(),
  waId: z.string().nullable(),
  userId: z.string().nullable(),
  name: z.string().nullable(),
});
export type Customer = z.infer<typeof customerSchema>;

export const conversationStatusSchema = z.enum(['open', 'closed']);

/** A Click-to-WhatsApp ad or Page call-to-action that brought the customer: a free entry point. */
export const referralSchema = z.object({
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  headline: z.string().nullable(),
  body: z.string().nullable(),
  ctwaClid: z.string().nullable(),
  /** Meta's timestamp (ms) of the message that carried the referral. */
  at: z.number(),
});
export type Referral = z.infer<typeof referralSchema>;

export const conversationSchema = z.object({
  /** `${phoneNumberId}:${customer.key}`. */
  id: z.string(),
  phoneNumberId: z.string(),
  customer: customerSchema,
  status: conversationStatusSchema,
  assigneeId: z.string().nullable(),
  /** Meta's timestamp (ms) of the customer's last message: the 24-hour window runs from here. */
  lastInboundAt: z.number().nullable(),
  /** lastInboundAt + 24 h, carried so every console counts down the same expiry. */
  windowExpiresAt: z.number().nullable(),
  lastMessageAt: z.number(),
  lastMessagePreview: z.string(),
  /** The latest referral (ad or Page CTA) the customer arrived through, if any. */
  referral: referralSchema.nullable().default(null),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const messageDirectionSchema = z.enum(['in', 'out']);
export type MessageDirection = z.infer<typeof messageDirectionSchema>;

/**
 * Media attached to a message. Inbound media is downloaded and kept by the relay (Meta's URLs expire
 * in minutes); consoles fetch it from the relay at `GET /v1/media/{id}`.
 */
export const mediaSchema = z.object({
  /** Meta's media id. */
  id: z.string(),
  mimeType: z.string().nullable(),
  sha256: z.string().nullable(),
  fileSize: z.number().nullable(),
  filename: z.string().nullable(),
  /** pending: not downloaded yet (or retrying); stored: the relay holds the bytes; failed: given up. */
  state: z.enum(['pending', 'stored', 'failed']),
  /** Why the last download attempt failed, while retrying or after giving up. */
  error: z.string().nullable(),
});
export type Media = z.infer<typeof mediaSchema>;

/** Reply-to and forwarding marks (`message.context` in Meta's payload). */
export const messageContextSchema = z.object({
  /** The wamid of the quoted message, for a reply. */
  replyTo: z.string().nullable(),
  forwarded: z.boolean(),
  frequentlyForwarded: z.boolean(),
});
export type MessageContext = z.infer<typeof messageContextSchema>;

export const messageSchema = z.object({
  /** Inbound: Meta's wamid. Outbound: the client mutation id that created it (known before Meta answers). */
  id: z.string(),
  conversationId: z.string(),
  phoneNumberId: z.string(),
  direction: messageDirectionSchema,
  /** Meta's message type: text, image, template, reaction, ... (unknown types are kept as they came). */
  type: z.string(),
  /** Text body or a caption; null when the type has none. */
  text: z.string().nullable(),
  /** Meta's wamid; null for an outbound message Meta has not answered yet. */
  waMessageId: z.string().nullable(),
  /** Meta's timestamp for inbound messages, the relay's clock for outbound ones (ms). */
  timestamp: z.number(),
  status: messageStatusSchema,
  statusAt: z.number().nullable(),
  error: whatsAppErrorSchema.nullable(),
  pricing: pricingSchema.nullable(),
  /** The agent who sent an outbound message. */
  authorId: z.string().nullable(),
  /** Type-specific payload as Meta sent it (media ids, location, interactive reply, ...). */
  payload: z.record(z.string(), z.unknown()).nullable(),
  media: mediaSchema.nullable().default(null),
  context: messageContextSchema.nullable().default(null),
  /**
   * An outbound message held back by pacing (Meta's per-recipient limit, 131056, or the number's
   * throughput): when the relay will try again (ms). Null when it is not waiting.
   */
  waitingUntil: z.number().nullable().default(null),
});
export type Message = z.infer<typeof messageSchema>;

/** An internal note on a conversation: seen by the team, never sent to the customer. */
export const noteSchema = z.object({
  /** The client mutation id that created it. */
  id: z.string(),
  conversationId: z.string(),
  phoneNumberId: z.string(),
  authorId: z.string(),
  text: z.string(),
  at: z.number(),
});
export type Note = z.infer<typeof noteSchema>;

/** A team quick reply, inserted in the composer by typing `/` and its shortcut. */
export const quickReplySchema = z.object({
  id: z.string(),
  /** Without the slash; letters, digits, - and _. */
  shortcut: z.string(),
  text: z.string(),
  updatedAt: z.number(),
  updatedBy: z.string(),
});
export type QuickReply = z.infer<typeof quickReplySchema>;

export const templateStatusSchema = z.string(); // APPROVED, PENDING, REJECTED, PAUSED, DISABLED, ... (Meta adds more)

/** A message template as the relay knows it (keyed by name and language). */
export const templateSchema = z.object({
  /** `${name}:${language}`. */
  key: z.string(),
  /** Meta's template id, when known. */
  id: z.string().nullable(),
  name: z.string(),
  language: z.string(),
  status: templateStatusSchema,
  /** MARKETING, UTILITY, AUTHENTICATION (legacy categories are kept as they came). */
  category: z.string().nullable(),
  /** GREEN, YELLOW, RED, UNKNOWN. */
  quality: z.string().nullable(),
  /** Meta's reason for the last status change (rejection, pause). */
  reason: z.string().nullable(),
  updatedAt: z.number(),
  /** POSITIONAL ({{1}}) or NAMED ({{order_id}}); null until the template list was synced. */
  parameterFormat: z.enum(['POSITIONAL', 'NAMED']).nullable().default(null),
  /** Meta's components (HEADER, BODY, FOOTER, BUTTONS, ...) as listed; empty until synced. */
  components: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type Template = z.infer<typeof templateSchema>;

export function templateKey(name: string, language: string): string {
  return `${name}:${language}`;
}

/** A business phone number of the WhatsApp Business account, with Meta's last word on its health. */
export const phoneNumberSchema = z.object({
  id: z.string(),
  displayPhoneNumber: z.string().nullable(),
  /** The last phone_number_quality_update event (FLAGGED, UNFLAGGED, THROUGHPUT_UPGRADE, ...). */
  qualityEvent: z.string().nullable(),
  /** Messaging limit tier (e.g. TIER_2K, TIER_UNLIMITED). */
  messagingLimit: z.string().nullable(),
  updatedAt: z.number(),
});
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;

/**
 * Something an admin should see that is not a conversation: account updates, errors Meta reports on
 * a whole delivery, and correctly signed webhooks the relay could not read (kept raw).
 */
export const alertSchema = z.object({
  id: z.string(),
  kind: z.enum(['account_update', 'webhook_error', 'unrecognized_webhook']),
  /** Short human summary (Meta's event name, error title, or why the body was not understood). */
  title: z.string(),
  /** Meta's object as it came (or, for unrecognized bodies, where the raw body is kept). */
  details: z.record(z.string(), z.unknown()),
  at: z.number(),
});
export type Alert = z.infer<typeof alertSchema>;

export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** When the customer-service window closes, given the customer's last inbound message time. */
export function windowExpiry(lastInboundAt: number | null): number | null {
  return lastInboundAt === null ? null : lastInboundAt + WINDOW_MS;
}

export function conversationId(phoneNumberId: string, customerKey: string): string {
  return `${phoneNumberId}:${customerKey}`;
}
