// Downloads one media file from the relay into its `.part` file, resuming a broken download with a
// Range request from the bytes already on disk. The caller verifies and publishes the result.
import { open, rm, stat } from 'node:fs/promises';
import { mediaError } from './media-errors.ts';
import { downloadRefusal, relayUnreachable, type RelayAccess } from './relay-http.ts';
import { syncFile } from './durable-write.ts';

/** How long the relay may take to start answering; the body itself may take as long as it needs. */
const HEADERS_TIMEOUT_MS = 30_000;

export interface Downloaded {
  /** The type the relay served, when it served any bytes in this attempt. */
  contentType: string | null;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function request(
  access: RelayAccess,
  path: string,
  from: number,
  signal: AbortSignal,
): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('no answer in time')), HEADERS_TIMEOUT_MS);
  try {
    return await fetch(`${access.relayUrl}${path}`, {
      headers: {
        authorization: `Bearer ${access.token}`,
        ...(from > 0 ? { range: `bytes=${from}-` } : {}),
      },
      signal: AbortSignal.any([signal, controller.signal]),
    });
  } catch (error) {
    throw relayUnreachable(access.relayUrl, error);
  } finally {
    clearTimeout(timer);
  }
}

/** Appends (206) or writes from the start (200) the response body into `part`, synced. */
async function receive(response: Response, part: string, append: boolean): Promise<void> {
  const file = await open(part, append ? 'a' : 'w');
  let written = 0;
  try {
    if (response.body !== null) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        await file.write(chunk);
        written += chunk.byteLength;
      }
    }
    await file.sync();
  } catch (error) {
    // What arrived stays in the .part file: the next request resumes after it.
    await file.sync().catch(() => {});
    throw mediaError(
      'MEDIA_OFFLINE',
      `The download from the relay broke off after ${written} bytes (${error instanceof Error ? error.message : String(error)}); it resumes from there next time`,
    );
  } finally {
    await file.close();
  }
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/**
 * `path` is the relay's path of the file (/v1/media/{id} or /v1/uploads/{id}); `signal` stops the
 * download (sign-out with a wipe), leaving what arrived in `part`.
 */
export async function downloadToPart(
  access: RelayAccess,
  path: string,
  part: string,
  signal: AbortSignal,
): Promise<Downloaded> {
  // Two rounds at most: a part file the relay does not agree with is dropped once and fetched whole.
  for (let round = 0; round < 2; round += 1) {
    const have = await sizeOf(part);
    const response = await request(access, path, have, signal);
    if (response.status === 416 && have > 0) {
      const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
      await response.body?.cancel();
      if (total !== undefined && Number(total) === have) {
        await syncFile(part);
        return { contentType: null };
      }
      await rm(part, { force: true });
      continue;
    }
    if (response.status === 206) {
      const range = CONTENT_RANGE.exec(response.headers.get('content-range') ?? '');
      if (range === null || Number(range[1]) !== have) {
        await response.body?.cancel();
        await rm(part, { force: true });
        continue;
      }
      await receive(response, part, true);
      return { contentType: response.headers.get('content-type') };
    }
    if (response.status === 200) {
      await receive(response, part, false);
      return { contentType: response.headers.get('content-type') };
    }
    throw await downloadRefusal(response);
  }
  throw mediaError(
    'MEDIA_RELAY_ERROR',
    'The relay kept answering byte ranges that do not fit the partial download',
  );
}
