// Which logged events announce inbound media still to download. Called for every committed event,
// so the type and a cheap text test rule most of them out before any parsing.
import { z } from 'zod';
import { messageSchema } from '../../shared/domain.ts';
import type { StoredEvent } from '../store/relay-store.ts';
import type { NewMediaRecord } from './media-table.ts';
import { MEDIA_ID_LIFETIME_MS } from './retry-schedule.ts';

const messageEventSchema = z.object({
  type: z.literal('message.upserted'),
  at: z.number(),
  message: messageSchema,
});

/** The download an event asks for, or null: only inbound messages whose media is pending. */
export function pendingDownloadIn(event: StoredEvent): NewMediaRecord | null {
  if (event.type !== 'message.upserted' || !event.json.includes('"state":"pending"')) return null;
  let json: unknown;
  try {
    json = JSON.parse(event.json);
  } catch {
    return null;
  }
  const parsed = messageEventSchema.safeParse(json);
  if (!parsed.success) return null;
  const { message, at } = parsed.data;
  const media = message.media;
  if (message.direction !== 'in' || media === null || media.state !== 'pending') return null;
  return {
    messageId: message.id,
    mediaId: media.id,
    phoneNumberId: message.phoneNumberId,
    // Counted from when the relay logged the message, on the relay's clock.
    expiresAt: at + MEDIA_ID_LIFETIME_MS,
    mimeType: media.mimeType,
    sha256: media.sha256,
    filename: media.filename,
    fileSize: media.fileSize,
  };
}
