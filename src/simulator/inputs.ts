// Inputs of the simulator's test-facing methods. The same schemas guard the in-process API and
// the /_sim HTTP endpoints, so both answer the same clear error for the same bad input.
import { z } from 'zod';

const waIdSchema = z
  .string()
  .regex(/^\d{6,15}$/, "must be the customer's number as E.164 digits without '+', e.g. 5215512345678");

const commonInbound = {
  name: z.string().min(1).max(256).optional(),
  phoneNumberId: z.string().min(1).optional(),
  /** When the customer wrote (ms); default: the simulator's clock. */
  timestamp: z.number().int().positive().optional(),
};

export const inboundTextInputSchema = z
  .object({ from: waIdSchema, text: z.string().min(1).max(4096), ...commonInbound })
  .strict();
export type InboundTextRequest = z.infer<typeof inboundTextInputSchema>;

const SET_BY_SIMULATOR = ['from', 'id', 'timestamp'] as const;

/** Any Meta-shaped message: a `type` and that type's object; unknown types pass as they are. */
export const messageBodySchema = z
  .looseObject({ type: z.string().min(1).max(64) })
  .refine((message) => SET_BY_SIMULATOR.every((key) => !(key in message)), {
    message: 'must not carry from, id or timestamp: the simulator sets them',
  });

export const inboundInputSchema = z
  .object({
    /** '' for a customer known only by a business-scoped user id (usernames): then userId is required. */
    from: z.union([waIdSchema, z.literal('')]),
    userId: z.string().min(1).max(128).optional(),
    username: z.string().min(1).max(64).optional(),
    message: messageBodySchema,
    /** Meta's referral object (Click-to-WhatsApp ad or Page post), as it appears on the message. */
    referral: z.record(z.string(), z.unknown()).optional(),
    /** Meta's context: {from, id} for a reply (from defaults to the business number), {forwarded: true}, ... */
    context: z
      .object({
        from: z.string().min(1).optional(),
        id: z.string().min(1).optional(),
        forwarded: z.boolean().optional(),
        frequently_forwarded: z.boolean().optional(),
      })
      .strict()
      .optional(),
    ...commonInbound,
  })
  .strict()
  .refine((input) => input.from !== '' || input.userId !== undefined, {
    message: "an empty 'from' (username-only customer) needs a userId",
    path: ['from'],
  });
export type InboundRequest = z.infer<typeof inboundInputSchema>;

export const statusInputSchema = z
  .object({
    wamid: z.string().min(1),
    status: z.enum(['sent', 'delivered', 'read', 'played', 'failed']),
    error: z
      .object({ code: z.number().int(), title: z.string().min(1), details: z.string().optional() })
      .strict()
      .optional(),
    /** Per-message pricing; default: free customer service. */
    pricing: z
      .object({ category: z.string().min(1), type: z.string().min(1), billable: z.boolean().optional() })
      .strict()
      .optional(),
  })
  .strict();
export type StatusRequest = z.infer<typeof statusInputSchema>;

/** POST /_sim/webhook: any body (signed as Meta would), or raw text for bodies that are not JSON. */
export const webhookInputSchema = z
  .object({
    envelope: z.unknown().optional(),
    raw: z.string().optional(),
    signature: z.enum(['valid', 'invalid', 'missing']).default('valid'),
  })
  .strict()
  .refine((input) => 'raw' in input !== 'envelope' in input, {
    message: 'give either envelope (any JSON body) or raw (text), not both',
  });

const mimeTypeSchema = z
  .string()
  .regex(
    /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/,
    "must be a MIME type such as 'image/jpeg' or 'audio/ogg; codecs=opus'",
  );

export const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

export const addMediaInputSchema = z
  .object({
    bytes: z
      .instanceof(Buffer, { message: 'must be a Buffer' })
      .refine((bytes) => bytes.length > 0 && bytes.length <= MAX_MEDIA_BYTES, {
        message: `must hold 1 byte to ${MAX_MEDIA_BYTES} bytes`,
      }),
    mimeType: mimeTypeSchema,
    filename: z.string().min(1).max(240).optional(),
  })
  .strict();

/** POST /_sim/media: the same, with the bytes in base64. */
export const addMediaHttpInputSchema = z
  .object({
    base64: z.base64().min(1),
    mimeType: mimeTypeSchema,
    filename: z.string().min(1).max(240).optional(),
  })
  .strict();

export const failMediaInputSchema = z
  .object({
    mediaId: z.string().min(1),
    times: z.number().int().min(1).max(1000),
    /** The HTTP status the failing attempts answer, e.g. 500, 503, 404, 401. */
    status: z.number().int().min(400).max(599),
    /** info: GET /{version}/{media-id}; download: GET <url> (default). */
    step: z.enum(['info', 'download']).default('download'),
  })
  .strict();
export type FailMediaRequest = z.input<typeof failMediaInputSchema>;

export const duplicateInputSchema = z
  .object({
    count: z.number().int().min(1).max(10_000),
    /** Post both copies at once (a retry racing the first delivery) instead of one after the other. */
    concurrent: z.boolean().default(false),
  })
  .strict();
export type DuplicateRequest = z.input<typeof duplicateInputSchema>;

export const delayInputSchema = z
  .object({
    ms: z.number().int().min(0).max(600_000),
    /** How many webhooks to hold; absent: every webhook until clearFaults() (or ms 0). */
    count: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type DelayRequest = z.input<typeof delayInputSchema>;

export const clockInputSchema = z
  .object({
    advanceMs: z
      .number()
      .int()
      .min(0)
      .max(10 * 365 * 24 * 3_600_000),
  })
  .strict();
