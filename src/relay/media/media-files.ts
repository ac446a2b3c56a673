// The media folder. A download streams into a temp file and only a complete, checked file is renamed
// to its final name (after an fsync), so a crash never leaves a half file under a real name.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CodedError } from '../../shared/result.ts';

const TEMP_PREFIX = '.partial-';
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/;

export interface ReceivedFile {
  tempPath: string;
  size: number;
  sha256: Buffer;
}

export interface MediaFiles {
  readonly dir: string;
  /** Creates the folder and removes temp files a crash left behind. */
  prepare(): Promise<void>;
  /** Streams `source` into a temp file, counting and hashing it; fails past `maxBytes`. */
  receive(source: AsyncIterable<Uint8Array>, maxBytes: number, signal: AbortSignal): Promise<ReceivedFile>;
  /** Makes a received file durable under the name kept for `mediaId`; returns that name. */
  publish(file: ReceivedFile, mediaId: string): Promise<string>;
  discard(file: ReceivedFile): Promise<void>;
  /** The absolute path of a stored name. */
  pathOf(storedName: string): string;
}

/** Meta's media ids are digits; anything else (the webhook is outside input) is hashed into a name. */
export function storedNameFor(mediaId: string): string {
  return SAFE_NAME.test(mediaId) ? mediaId : createHash('sha256').update(mediaId).digest('hex');
}

async function syncPath(path: string, flags: string): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function createMediaFiles(dir: string): MediaFiles {
  return {
    dir,

    async prepare() {
      await mkdir(dir, { recursive: true });
      const leftovers = (await readdir(dir)).filter((name) => name.startsWith(TEMP_PREFIX));
      await Promise.all(leftovers.map((name) => rm(join(dir, name), { force: true })));
    },

    async receive(source, maxBytes, signal) {
      const tempPath = join(dir, `${TEMP_PREFIX}${randomUUID()}`);
      const hash = createHash('sha256');
      let size = 0;
      try {
        await pipeline(
          source,
          async function* (chunks: AsyncIterable<Uint8Array>) {
            for await (const chunk of chunks) {
              size += chunk.byteLength;
              if (size > maxBytes) {
                throw new CodedError('MEDIA_TOO_LARGE', `The media is larger than ${maxBytes} bytes`);
              }
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(tempPath, { flags: 'wx' }),
          { signal },
        );
      } catch (error) {
        await rm(tempPath, { force: true });
        throw error;
      }
      return { tempPath, size, sha256: hash.digest() };
    },

    async publish(file, mediaId) {
      const name = storedNameFor(mediaId);
      await syncPath(file.tempPath, 'r+');
      await rename(file.tempPath, join(dir, name));
      // The rename itself must survive a power cut before the database says "stored".
      await syncPath(dir, 'r').catch(() => {
        // Some platforms cannot open a folder to sync it; the rename is still atomic there.
      });
      return name;
    },

    async discard(file) {
      await rm(file.tempPath, { force: true });
    },

    pathOf: (storedName) => join(dir, storedName),
  };
}
