// Inputs of the simulator's test-facing methods. The same schemas guard the in-process API and
// the /_sim HTTP endpoints, so both answer the same clear error for the same bad input.
import { z } from 'zod';

const waIdSchema = z
  .string()
  .regex(/^\d{6,15}$/, "must be the customer's number as E.164 digits without '+', e.g. 5215512345678");

export const inboundTextInputSchema = z
  .object({
    from: waIdSchema,
    name: z.string().min(1).max(256).optional(),
    text: z.string().min(1).max(4096),
    phoneNumberId: z.string().min(1).optional(),
    /** When the customer wrote (ms); default: the simulator's clock. */
    timestamp: z.number().int().positive().optional(),
  })
  .strict();
export type InboundTextRequest = z.infer<typeof inboundTextInputSchema>;

export const statusInputSchema = z
  .object({
    wamid: z.string().min(1),
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    error: z
      .object({ code: z.number().int(), title: z.string().min(1), details: z.string().optional() })
      .strict()
      .optional(),
  })
  .strict();
export type StatusRequest = z.infer<typeof statusInputSchema>;
