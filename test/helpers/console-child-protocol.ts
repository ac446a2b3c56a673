// What the crash test and its console child (console-child.ts) say to each other.
import { z } from 'zod';

export const childArgsSchema = z.object({
  cachePath: z.string(),
  relayUrl: z.string(),
  token: z.string(),
  clientId: z.string(),
  /** Stop inside the apply transaction at this many applied events (for the parent to kill). */
  pauseAtEvent: z.number().int().positive().nullable(),
  /** Stop inside a snapshot page's transaction at this many rows of the rebuild (for the parent to kill). */
  pauseAtSnapshotRow: z.number().int().positive().nullable().default(null),
});
export type ChildArgs = z.input<typeof childArgsSchema>;

/** Parent -> child, one JSON line each on stdin. */
export const childCommandSchema = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('reply'), conversationId: z.string(), text: z.string() }),
  z.object({ cmd: z.literal('read'), conversationId: z.string() }),
  z.object({ cmd: z.literal('close') }),
]);
export type ChildCommand = z.infer<typeof childCommandSchema>;

/** Child -> parent, one JSON line each on stdout. */
export const childLineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('paused'), applied: z.number() }),
  z.object({ type: z.literal('paused_in_snapshot'), rows: z.number() }),
  /** The reply is in the outbox on disk. */
  z.object({
    type: z.literal('queued'),
    mutationId: z.string(),
    conversationId: z.string(),
    text: z.string(),
  }),
  z.object({ type: z.literal('refused'), conversationId: z.string(), code: z.string() }),
  /** The conversation is marked read on disk. */
  z.object({ type: z.literal('read'), conversationId: z.string() }),
  z.object({ type: z.literal('closed') }),
]);
export type ChildLine = z.infer<typeof childLineSchema>;
