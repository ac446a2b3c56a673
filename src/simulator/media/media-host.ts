// Media the "customers" send: bytes registered with addMedia, described by GET /{version}/{media-id}
// and served at a signed URL that expires after five minutes on the simulator's clock (as Meta's
// do). Download faults are queued per media id: the next `times` attempts answer `status`.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { CodedError } from '../../shared/result.ts';
import { mediaFault } from '../graph-errors.ts';
import type { GraphErrorResponse } from '../graph-errors.ts';
import { checkMediaUrl, signMediaUrl } from './media-url.ts';

export const MEDIA_URL_TTL_MS = 5 * 60_000;

/** GET /{version}/{media-id} (info) or GET <url> (download). */
export type MediaStep = 'info' | 'download';

export interface NewMedia {
  bytes: Buffer;
  mimeType: string;
  filename?: string;
}

interface StoredMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  filename: string | null;
  digest: Buffer;
}

interface MediaFault {
  step: MediaStep;
  status: number;
  remaining: number;
}

export interface MediaInfoAnswer {
  messaging_product: 'whatsapp';
  url: string;
  mime_type: string;
  /** Hex here; webhooks carry the same digest in base64 (both as Meta does). */
  sha256: string;
  file_size: number;
  id: string;
}

export type DownloadAnswer =
  { ok: true; bytes: Buffer; mimeType: string } | { ok: false; error: GraphErrorResponse };

/** Meta's media ids are 15-16 digit numbers. */
function newMediaId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 100_000_000_000_000)).padStart(14, '0')}`;
}

export class MediaHost {
  readonly #clock: Clock;
  // Signs the download URLs; new on every start, so URLs never outlive the simulator.
  readonly #urlSecret = randomBytes(32);
  readonly #media = new Map<string, StoredMedia>();
  readonly #faults = new Map<string, MediaFault[]>();
  #baseUrl = '';

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Where the download URLs point (the simulator's own URL, known once it listens). */
  setBaseUrl(url: string): void {
    this.#baseUrl = url;
  }

  add(media: NewMedia): string {
    let id = newMediaId();
    while (this.#media.has(id)) id = newMediaId();
    this.#media.set(id, {
      id,
      bytes: Buffer.from(media.bytes),
      mimeType: media.mimeType,
      filename: media.filename ?? null,
      digest: createHash('sha256').update(media.bytes).digest(),
    });
    return id;
  }

  has(mediaId: string): boolean {
    return this.#media.has(mediaId);
  }

  /** What an inbound webhook says about the media: mime_type, sha256 (base64), filename. */
  webhookFields(mediaId: string): { mime_type: string; sha256: string; filename?: string } | undefined {
    const media = this.#media.get(mediaId);
    if (media === undefined) return undefined;
    return {
      mime_type: media.mimeType,
      sha256: media.digest.toString('base64'),
      ...(media.filename === null ? {} : { filename: media.filename }),
    };
  }

  failNext(fault: { mediaId: string; times: number; status: number; step: MediaStep }): void {
    if (!this.#media.has(fault.mediaId)) {
      throw new CodedError(
        'SIM_UNKNOWN_MEDIA',
        `No media has the id '${fault.mediaId}'; register it with addMedia.`,
      );
    }
    const queue = this.#faults.get(fault.mediaId) ?? [];
    queue.push({ step: fault.step, status: fault.status, remaining: fault.times });
    this.#faults.set(fault.mediaId, queue);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** GET /{version}/{media-id}; undefined when the id is not one of ours. */
  info(
    mediaId: string,
  ): { ok: true; answer: MediaInfoAnswer } | { ok: false; error: GraphErrorResponse } | undefined {
    const media = this.#media.get(mediaId);
    if (media === undefined) return undefined;
    const failure = this.#takeFault(mediaId, 'info');
    if (failure !== null) return { ok: false, error: mediaFault(failure, mediaId) };
    return {
      ok: true,
      answer: {
        messaging_product: 'whatsapp',
        url: signMediaUrl(this.#baseUrl, this.#urlSecret, media.id, this.#clock.now() + MEDIA_URL_TTL_MS),
        mime_type: media.mimeType,
        sha256: media.digest.toString('hex'),
        file_size: media.bytes.length,
        id: media.id,
      },
    };
  }

  /** GET <url> (the caller has checked the Bearer token). */
  download(query: URLSearchParams): DownloadAnswer {
    const check = checkMediaUrl(query, this.#urlSecret, this.#clock.now());
    if (!check.ok) {
      return {
        ok: false,
        error: mediaFault(
          404,
          query.get('mid') ?? '',
          check.problem === 'expired' ? 'URL expired' : 'URL not valid',
        ),
      };
    }
    const media = this.#media.get(check.mediaId);
    if (media === undefined) return { ok: false, error: mediaFault(404, check.mediaId, 'URL not valid') };
    const failure = this.#takeFault(media.id, 'download');
    if (failure !== null) return { ok: false, error: mediaFault(failure, media.id) };
    return { ok: true, bytes: media.bytes, mimeType: media.mimeType };
  }

  #takeFault(mediaId: string, step: MediaStep): number | null {
    const queue = this.#faults.get(mediaId);
    const fault = queue?.find((f) => f.step === step && f.remaining > 0);
    if (fault === undefined) return null;
    fault.remaining -= 1;
    return fault.status;
  }
}
