// What a message-creating command hands the outbound queue, and how it is kept in the queue's table
// (validated when read back: a damaged row fails loudly instead of reaching Meta).
import { z } from 'zod';

/** Where, in a Graph message body, the media id of an upload goes (e.g. ['image', 'id']). */
export const uploadPlacementSchema = z.object({
  uploadId: z.string().min(1),
  path: z.array(z.union([z.string(), z.number().int().nonnegative()])).min(1),
});
export type UploadPlacement = z.infer<typeof uploadPlacementSchema>;

export const graphBodySchema = z.record(z.string(), z.unknown());

export interface OutboundRequest {
  /** The saved message (id = mutation id); Meta echoes it back as biz_opaque_callback_data. */
  messageId: string;
  phoneNumberId: string;
  /** The customer's wa_id. */
  to: string;
  /** Graph message body without messaging_product, recipient_type, to and biz_opaque_callback_data (the dispatcher adds them). */
  body: Record<string, unknown>;
  /** Relay-held uploads to send to Meta's media endpoint first; the dispatcher puts {id: <media id>} at each path in body. */
  uploads?: UploadPlacement[];
}

/** Graph's fields the dispatcher sets itself: a body may not choose them. */
export const DISPATCHER_FIELDS = [
  'messaging_product',
  'recipient_type',
  'to',
  'biz_opaque_callback_data',
] as const;

/** The request's body with the media id of one upload in place (a new object; `body` is left alone). */
export function placeMediaId(
  body: Record<string, unknown>,
  path: UploadPlacement['path'],
  mediaId: string,
): Record<string, unknown> {
  const copy = structuredClone(body);
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) {
    const parent = node as Record<string | number, unknown>;
    const child = parent[key];
    parent[key] = typeof child === 'object' && child !== null ? child : {};
    node = parent[key];
  }
  const last = path.at(-1)!;
  const parent = node as Record<string | number, unknown>;
  const existing = parent[last];
  // A media object keeps its other fields (caption, filename); anything else becomes {id}.
  parent[last] =
    typeof existing === 'object' && existing !== null && !Array.isArray(existing)
      ? { ...existing, id: mediaId }
      : { id: mediaId };
  return copy;
}
