// One download attempt: media id -> URL -> bytes into a temp file -> checked -> renamed into place.
import { CodedError } from '../../shared/result.ts';
import type { MediaFiles } from './media-files.ts';
import type { MediaSource } from './graph-media.ts';
import { mismatchedSha256 } from './sha256.ts';

/** Meta's largest media (documents) is 100 MB; anything bigger is not a WhatsApp media file. */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

export interface DownloadedMedia {
  /** The file's name in the media folder. */
  storedName: string;
  size: number;
  /** From Meta's media-URL answer, when it gave one. */
  mimeType: string | null;
}

export async function downloadMedia(
  deps: { source: MediaSource; files: MediaFiles; maxBytes?: number },
  media: { id: string; announcedSha256: string | null },
  signal: AbortSignal,
): Promise<DownloadedMedia> {
  const location = await deps.source.locate(media.id, signal);
  const bytes = await deps.source.fetchBytes(location.url, signal);
  const file = await deps.files.receive(bytes, deps.maxBytes ?? MAX_MEDIA_BYTES, signal);
  try {
    if (mismatchedSha256([media.announcedSha256, location.sha256], file.sha256).length > 0) {
      throw new CodedError(
        'MEDIA_CHECKSUM_MISMATCH',
        `The downloaded bytes do not match Meta's sha256 (got ${file.sha256.toString('base64')})`,
      );
    }
    if (location.fileSize !== null && location.fileSize !== file.size) {
      throw new CodedError(
        'MEDIA_SIZE_MISMATCH',
        `Meta announced ${location.fileSize} bytes but ${file.size} arrived`,
      );
    }
    return {
      storedName: await deps.files.publish(file, media.id),
      size: file.size,
      mimeType: location.mimeType,
    };
  } catch (error) {
    await deps.files.discard(file);
    throw error;
  }
}
