// The console's media cache: every image, video, voice note or document a conversation shows, kept
// on this computer so it opens offline and is fetched from the relay once. Also the agent's own files,
// kept from before they are sent, so an offline send survives a restart and shows at once.
//
// One folder, one entry per message: `<hash>.bin` (the bytes) and `<hash>.json` (what they are),
// `<hash>.part` while a download is under way. The hash is of the message id: no id picks a path.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { Message } from '../../shared/domain.ts';
import type { MediaSource } from '../ports.ts';
import { renameDurably, writeDurably } from './durable-write.ts';
import { mediaError } from './media-errors.ts';
import { keyOfFileName, mediaPaths, pathsOfKey, type MediaPaths } from './media-names.ts';
import { readComplete, writeSidecar, type Sidecar } from './media-sidecar.ts';
import { safeMimeType } from './mime-type.ts';
import { downloadToPart } from './relay-download.ts';
import { uploadToRelay } from './relay-upload.ts';
import { decodeSha256, sha256OfFile } from './sha256-digest.ts';

/** What the cache knows of a message: confirmed by the relay, an outbox row not yet confirmed, or nothing. */
export type MediaLookup = { kind: 'relay'; message: Message } | { kind: 'outgoing' } | null;

export interface ConsoleMediaOptions {
  /** The media folder (one per relay and agent, beside the SQLite cache). */
  dir: string;
  relayUrl: string;
  token: string;
  /** Asked before anything is served, and by prune(): a message the cache forgot is not served. */
  lookup: (messageId: string) => MediaLookup | Promise<MediaLookup>;
  clock?: Clock;
}

/** The agent's file as the renderer handed it over. */
export interface OutgoingFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

export type CachedMedia = Awaited<ReturnType<MediaSource['file']>>;

/** Ids longer than this are no message's (wamids are ~60 characters, mutation ids shorter). */
const MAX_ID_LENGTH = 1024;

export class ConsoleMedia implements MediaSource {
  readonly #dir: string;
  readonly #access: { relayUrl: string; token: string };
  readonly #lookup: ConsoleMediaOptions['lookup'];
  readonly #clock: Clock;
  /** One download per entry, shared by everyone who asks meanwhile. */
  readonly #downloads = new Map<string, Promise<CachedMedia>>();
  /** Entries being written right now: prune leaves their temp and part files alone. */
  readonly #busy = new Map<string, number>();
  #stop = new AbortController();

  constructor(options: ConsoleMediaOptions) {
    this.#dir = options.dir;
    this.#access = { relayUrl: options.relayUrl.replace(/\/+$/, ''), token: options.token };
    this.#lookup = options.lookup;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Keeps the agent's file durably under the message (outbox mutation) id. Call it BEFORE writing the
   * outbox row: a row whose file is missing could never be sent, a file without a row is pruned.
   */
  async storeOutgoing(messageId: string, file: OutgoingFile): Promise<void> {
    const paths = this.#paths(messageId);
    await this.#whileBusy(paths.key, async () => {
      await mkdir(this.#dir, { recursive: true });
      await writeDurably(paths.data, file.bytes);
      await writeSidecar(paths, {
        messageId,
        origin: 'outgoing',
        mimeType: safeMimeType(file.mimeType),
        filename: file.name,
        size: file.bytes.byteLength,
        sha256: createHash('sha256').update(file.bytes).digest('base64'),
        storedAt: this.#clock.now(),
      });
    });
  }

  /**
   * Uploads a stored outgoing file to the relay and answers the upload id for send_media. Each call
   * uploads again (an upload nobody sends is removed by the relay after a day), so call it right
   * before sending the command.
   */
  async upload(messageId: string): Promise<string> {
    const paths = this.#paths(messageId);
    const entry = await readComplete(paths, messageId);
    if (entry === null) {
      throw mediaError(
        'MEDIA_NOT_FOUND',
        'The file of this message is no longer on this computer: attach it again to send it',
      );
    }
    const bytes = new Uint8Array(await readFile(paths.data));
    return uploadToRelay(
      this.#access,
      { bytes, mimeType: entry.mimeType, filename: entry.filename },
      this.#stop.signal,
    );
  }

  /** The message's media as a complete local file: from the cache, or fetched from the relay first. */
  async file(messageId: string): Promise<CachedMedia> {
    const paths = this.#paths(messageId);
    const known = await this.#lookup(messageId);
    if (known === null) throw mediaError('MEDIA_NOT_FOUND', 'No message with that id is in this console');
    const cached = await readComplete(paths, messageId);
    if (cached !== null) return this.#describe(paths, cached);
    if (known.kind === 'outgoing') {
      throw mediaError(
        'MEDIA_NOT_FOUND',
        'The file of this unsent message is not on this computer (it was sent from another console)',
      );
    }
    const { message } = known;
    const media = message.media;
    if (media === null) throw mediaError('MEDIA_NOT_FOUND', 'This message has no media');
    // Failed is final (Meta forgot the media); pending may be stale here, so the relay is asked.
    if (media.state === 'failed') {
      throw mediaError(
        'MEDIA_FAILED',
        `This media could not be downloaded from WhatsApp${media.error === null ? '' : `: ${media.error}`}`,
      );
    }
    let download = this.#downloads.get(paths.key);
    if (download === undefined) {
      download = this.#whileBusy(paths.key, () => this.#download(paths, message)).finally(() =>
        this.#downloads.delete(paths.key),
      );
      this.#downloads.set(paths.key, download);
    }
    return download;
  }

  /**
   * Removes what no message needs any more: entries of messages the cache forgot (retention deletes
   * old messages first), interrupted downloads, and leftovers of writes a crash cut short.
   */
  async prune(): Promise<{ removed: number }> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch {
      return { removed: 0 };
    }
    const keys = new Map<string, string[]>();
    for (const name of names) {
      const key = keyOfFileName(name);
      if (key !== null) keys.set(key, [...(keys.get(key) ?? []), name]);
    }
    let removed = 0;
    for (const [key, files] of keys) {
      if (this.#busy.has(key)) continue;
      const paths = pathsOfKey(this.#dir, key);
      const entry = await this.#entryOf(paths);
      const keep =
        entry !== null && (await this.#lookup(entry.messageId)) !== null
          ? new Set([`${key}.bin`, `${key}.json`])
          : new Set<string>();
      // A download that started meanwhile owns its files now.
      if (this.#busy.has(key)) continue;
      for (const name of files) {
        if (keep.has(name)) continue;
        await rm(join(this.#dir, name), { force: true });
        removed += 1;
      }
    }
    return { removed };
  }

  /** Deletes every cached file (sign-out with a cache wipe); downloads under way are stopped first. */
  async wipe(): Promise<void> {
    this.#stop.abort(new Error('the media cache is being wiped'));
    await Promise.allSettled([...this.#downloads.values()]);
    await rm(this.#dir, { recursive: true, force: true });
    this.#stop = new AbortController();
  }

  /** Stops downloads under way (the console is closing); cached files stay. */
  close(): void {
    this.#stop.abort(new Error('the console is closing'));
  }

  #paths(messageId: string): MediaPaths {
    if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > MAX_ID_LENGTH)
      throw mediaError('MEDIA_NOT_FOUND', 'That is not a message id');
    return mediaPaths(this.#dir, messageId);
  }

  async #entryOf(paths: MediaPaths): Promise<Sidecar | null> {
    try {
      const { messageId } = JSON.parse(await readFile(paths.sidecar, 'utf8')) as { messageId?: unknown };
      return typeof messageId === 'string' ? await readComplete(paths, messageId) : null;
    } catch {
      return null;
    }
  }

  #describe(paths: MediaPaths, entry: Sidecar): CachedMedia {
    return { path: paths.data, size: entry.size, mimeType: entry.mimeType, filename: entry.filename };
  }

  async #whileBusy<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.#busy.set(key, (this.#busy.get(key) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.#busy.get(key) ?? 1) - 1;
      if (left === 0) this.#busy.delete(key);
      else this.#busy.set(key, left);
    }
  }

  async #download(paths: MediaPaths, message: Message): Promise<CachedMedia> {
    const media = message.media!;
    // Outbound media is an upload of the agent (or a teammate): the relay serves those apart.
    const relayPath =
      message.direction === 'in'
        ? `/v1/media/${encodeURIComponent(media.id)}`
        : `/v1/uploads/${encodeURIComponent(media.id)}`;
    await mkdir(this.#dir, { recursive: true });
    const { contentType } = await downloadToPart(this.#access, relayPath, paths.part, this.#stop.signal);

    const digest = await sha256OfFile(paths.part);
    const { size } = await stat(paths.part);
    const expected = decodeSha256(media.sha256);
    const sizeWrong = media.fileSize !== null && media.fileSize !== size;
    if ((expected !== null && !expected.equals(digest)) || sizeWrong) {
      await rm(paths.part, { force: true });
      throw mediaError(
        'MEDIA_CORRUPT',
        `The bytes from the relay do not match what the message announced (${size} bytes, sha256 ${digest.toString('base64')}); nothing was kept`,
      );
    }
    const entry: Sidecar = {
      messageId: message.id,
      origin: 'relay',
      mimeType: safeMimeType(media.mimeType ?? contentType),
      filename: media.filename,
      size,
      sha256: digest.toString('base64'),
      storedAt: this.#clock.now(),
    };
    await renameDurably(paths.part, paths.data);
    await writeSidecar(paths, entry);
    return this.#describe(paths, entry);
  }
}
