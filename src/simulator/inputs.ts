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
    /** With `failed`: Meta's error; title and details default to the ones Meta writes for the code. */
    error: z
      .object({
        code: z.number().int(),
        title: z.string().min(1).optional(),
        details: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Per-message pricing; default: the send's own (templates by category, else free customer service). */
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

// Faults of Graph calls (failNextSends, failNextUploads). Each union member is strict, so
// {httpStatus: 500} and {code, httpStatus} cannot be confused.
const metaErrorCode = z.number().int().min(1);
const errorFaultSchema = z
  .object({
    code: metaErrorCode,
    /** Default: what Meta answers for the code (400; 429 for 130429; 401 for 190). */
    httpStatus: z.number().int().min(400).max(599).optional(),
    title: z.string().min(1).optional(),
    details: z.string().min(1).optional(),
    subcode: z.number().int().optional(),
  })
  .strict();
const serverErrorFaultSchema = z
  .object({
    httpStatus: z.number().int().min(500).max(599),
    /** Meta carried the send out before failing to answer: it is recorded and statuses follow. */
    accepted: z.boolean().default(false),
  })
  .strict();
const hangFaultSchema = z
  .object({
    hang: z.literal(true),
    /** Meta carried the send out, the answer never comes (default): a later status settles it. */
    accepted: z.boolean().default(true),
  })
  .strict();
const refuseFaultSchema = z.object({ refuse: z.literal(true) }).strict();
const errorWith200FaultSchema = z
  .object({
    errorWith200: z.literal(true),
    code: metaErrorCode,
    title: z.string().min(1).optional(),
    details: z.string().min(1).optional(),
  })
  .strict();

export const sendFaultSchema = z.union([
  errorFaultSchema,
  serverErrorFaultSchema,
  hangFaultSchema,
  refuseFaultSchema,
  errorWith200FaultSchema,
]);
export type SendFaultSpec = z.input<typeof sendFaultSchema>;

export const failSendsInputSchema = z
  .object({
    count: z.number().int().min(1).max(10_000).default(1),
    /** Only sends to this customer fail (mark-read calls never match a scoped fault). */
    to: waIdSchema.optional(),
    error: sendFaultSchema,
  })
  .strict();
export type FailSendsRequest = z.input<typeof failSendsInputSchema>;

export const failUploadsInputSchema = z
  .object({
    count: z.number().int().min(1).max(10_000).default(1),
    error: z.union([
      errorFaultSchema,
      serverErrorFaultSchema.omit({ accepted: true }),
      hangFaultSchema.omit({ accepted: true }),
      refuseFaultSchema,
      errorWith200FaultSchema,
    ]),
  })
  .strict();
export type FailUploadsRequest = z.input<typeof failUploadsInputSchema>;

export const pairRateLimitInputSchema = z
  .object({
    enabled: z.boolean(),
    /** Meta's pair limit is one message every 6 s to the same customer. */
    windowMs: z.number().int().min(1).max(3_600_000).default(6_000),
  })
  .strict();
export type PairRateLimitRequest = z.input<typeof pairRateLimitInputSchema>;

const templateStatusSchema = z.enum(['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED']);

export const addTemplateInputSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9_]{1,512}$/, 'must be lower-case letters, digits and _, as Meta names templates'),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/, "must be a locale such as 'es_MX' or 'es'"),
    category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
    status: templateStatusSchema.default('APPROVED'),
    parameterFormat: z.enum(['POSITIONAL', 'NAMED']).default('POSITIONAL'),
    /** Meta's listing shape: [{type: 'BODY', text: 'Hola {{1}}'}, {type: 'BUTTONS', buttons: [...]}, ...]. */
    components: z.array(z.looseObject({ type: z.string().min(1) })).min(1),
    /** Meta's id (digits); default: a new one. */
    id: z
      .string()
      .regex(/^\d{1,16}$/)
      .optional(),
    /** Why Meta rejected it; null or absent otherwise. */
    rejectedReason: z.string().min(1).nullable().optional(),
  })
  .strict();
export type AddTemplateRequest = z.input<typeof addTemplateInputSchema>;

export const templateStatusInputSchema = z
  .object({
    name: z.string().min(1),
    language: z.string().min(1),
    status: templateStatusSchema,
    /** Meta's reason (INVALID_FORMAT, ...); 'NONE' when not given. */
    reason: z.string().min(1).optional(),
  })
  .strict();
export type TemplateStatusRequest = z.input<typeof templateStatusInputSchema>;
