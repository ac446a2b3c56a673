// The simulator's run-time behaviour, changeable while it runs (configure(), PUT /_sim/config).
import { z } from 'zod';

export const statusOrderSchema = z.enum(['in-order', 'reversed', 'shuffled']);
export type StatusOrder = z.infer<typeof statusOrderSchema>;

export const simulatorConfigSchema = z.object({
  /** After each accepted send, post sent, delivered and read status webhooks. */
  autoStatuses: z.boolean(),
  /** Post the `sent` webhook (and wait for the relay's answer) before answering the send, as Meta sometimes does. */
  statusBeforeResponse: z.boolean(),
  /** Gap between the automatic statuses. */
  statusDelayMs: z.number().int().min(0).max(600_000),
  /** The order of the automatic statuses: Meta does not promise one (read may come before delivered). */
  statusOrder: statusOrderSchema,
  /** The most templates one page of GET /{waba-id}/message_templates holds (a smaller `limit` is honoured). */
  templatePageSize: z.number().int().min(1).max(1000),
});
export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;

export const configPatchSchema = simulatorConfigSchema.partial().strict();
export type ConfigPatch = z.infer<typeof configPatchSchema>;

export const DEFAULT_CONFIG: SimulatorConfig = {
  autoStatuses: true,
  statusBeforeResponse: false,
  statusDelayMs: 800,
  statusOrder: 'in-order',
  // Meta's default page size for the template listing.
  templatePageSize: 25,
};
