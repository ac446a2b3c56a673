// Keeps every inbound media file: reacts to committed `message.upserted` events whose media is
// pending, downloads a few at a time, and retries failures on the relay's clock until Meta's media id
// expires. Each outcome and its event commit in one transaction. Nothing depends on memory: the
// schedule lives in the `media` table, and at start the log is rescanned from the last event looked
// at, so a crash between a webhook's commit and its registration here still gets the media.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { Media, Message } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';
import { saveMessageWithEvent } from '../messages/message-log.ts';
import type { SqliteRelayStore } from '../store/sqlite-relay-store.ts';
import { downloadMedia, type DownloadedMedia } from './download-media.ts';
import type { MediaSource } from './graph-media.ts';
import type { MediaFiles } from './media-files.ts';
import { pendingDownloadIn } from './media-events.ts';
import type { MediaRecord, MediaTable, NewMediaRecord } from './media-table.ts';
import { afterFailure } from './retry-schedule.ts';

export interface MediaDownloaderDeps {
  store: SqliteRelayStore;
  table: MediaTable;
  source: MediaSource;
  files: MediaFiles;
  clock: Clock;
  logger: Logger;
  /** Downloads at a time. */
  concurrency?: number;
  /** How often due retries are looked for: the relay's clock may jump (demo and test controls). */
  pollIntervalMs?: number;
  /** How long stop() lets running downloads finish before cutting them (they are retried at the next start). */
  stopGraceMs?: number;
}

export interface MediaDownloader {
  /** Stops scheduling, lets running downloads finish (or cuts them after the grace), then resolves. */
  stop(): Promise<void>;
}

const DEFAULTS = { concurrency: 4, pollIntervalMs: 500, stopGraceMs: 5_000 };
/** Events read per page when the log is rescanned at start. */
const SCAN_PAGE = 1_000;

/** The reason a failed attempt shows consoles (and the log). */
function describeFailure(error: unknown): string {
  if (error instanceof CodedError) return error.message;
  if (error instanceof Error && error.name === 'TimeoutError') return 'The download timed out';
  return `The download failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** The message's media as last logged, or (if the message carries none) as this table knows it. */
function mediaOf(message: Message, record: MediaRecord): Media {
  return (
    message.media ?? {
      id: record.mediaId,
      mimeType: record.mimeType,
      sha256: record.sha256,
      fileSize: record.fileSize,
      filename: record.filename,
      state: 'pending',
      error: null,
    }
  );
}

export function startMediaDownloader(deps: MediaDownloaderDeps): MediaDownloader {
  const { store, table, clock, logger } = deps;
  const concurrency = deps.concurrency ?? DEFAULTS.concurrency;
  const inFlight = new Map<string, { controller: AbortController; done: Promise<void> }>();
  let stopRequested = false;
  let stopping: Promise<void> | null = null;
  let waitingRegistration: NewMediaRecord[] = [];
  let lastSeenSeq = 0;
  let flushTimer: NodeJS.Immediate | null = null;

  /** Adds the downloads not known yet and moves the scan cursor, in one transaction. */
  function register(records: readonly NewMediaRecord[], upToSeq: number): void {
    // The events of this downloader's own attempts name media it already knows: no write for them.
    const fresh = records.filter((record) => table.get(record.messageId)?.mediaId !== record.mediaId);
    if (fresh.length === 0) return;
    const now = clock.now();
    store.transaction(() => {
      for (const record of fresh) table.register(record, now);
      table.advanceScanCursor(upToSeq);
    });
  }

  function flushRegistrations(): void {
    if (flushTimer !== null) clearImmediate(flushTimer);
    flushTimer = null;
    const records = waitingRegistration;
    waitingRegistration = [];
    register(records, lastSeenSeq);
  }

  function scanLog(): void {
    let after = table.scanCursor();
    let found: NewMediaRecord[] = [];
    for (;;) {
      const page = store.readEvents(after, SCAN_PAGE);
      const last = page.at(-1);
      if (last === undefined) break;
      for (const event of page) {
        const record = pendingDownloadIn(event);
        if (record !== null) found.push(record);
      }
      after = last.seq;
      if (found.length >= SCAN_PAGE) {
        register(found, after);
        found = [];
      }
    }
    register(found, after);
    lastSeenSeq = after;
  }

  function messageWith(record: MediaRecord, change: (media: Media) => Media): Message | null {
    const message = store.getMessage(record.messageId);
    return message === null ? null : { ...message, media: change(mediaOf(message, record)) };
  }

  function recordStored(record: MediaRecord, result: DownloadedMedia): void {
    const at = clock.now();
    const recorded = store.transaction(() => {
      const attempts = record.attempts + 1;
      const { storedName: storedPath, size: fileSize, mimeType } = result;
      if (!table.markStored(record, { storedPath, fileSize, mimeType, attempts }, at)) return false;
      const message = messageWith(record, (media) => ({
        ...media,
        state: 'stored',
        fileSize,
        mimeType: mimeType ?? media.mimeType,
        error: null,
      }));
      if (message !== null) saveMessageWithEvent(store, message, at);
      return true;
    });
    if (recorded)
      logger.info(
        { messageId: record.messageId, mediaId: record.mediaId, bytes: result.size },
        'media stored',
      );
  }

  function recordFailure(record: MediaRecord, error: unknown): void {
    const at = clock.now();
    const reason = describeFailure(error);
    const attempts = record.attempts + 1;
    const next = afterFailure(attempts, at, record.expiresAt);
    const recorded = store.transaction(() => {
      const written =
        next === 'give_up'
          ? table.markFailed(record, { attempts, error: reason }, at)
          : table.markRetrying(record, { attempts, nextAttemptAt: next.retryAt, error: reason }, at);
      if (!written) return false;
      const message = messageWith(record, (media) => ({
        ...media,
        state: next === 'give_up' ? 'failed' : 'pending',
        error: reason,
      }));
      if (message !== null) saveMessageWithEvent(store, message, at);
      return true;
    });
    if (!recorded) return;
    const context = { messageId: record.messageId, mediaId: record.mediaId, attempts, reason };
    if (next === 'give_up') logger.error(context, 'media download given up: the media id has expired');
    else logger.warn({ ...context, retryAt: next.retryAt }, 'media download failed; will retry');
  }

  async function attempt(record: MediaRecord, signal: AbortSignal): Promise<void> {
    let result: DownloadedMedia;
    try {
      result = await downloadMedia(
        { source: deps.source, files: deps.files },
        { id: record.mediaId, announcedSha256: record.sha256 },
        signal,
      );
    } catch (error) {
      // Cut by stop(): not the download's fault, so not counted; the next start tries again.
      if (signal.aborted) return;
      recordFailure(record, error);
      return;
    }
    recordStored(record, result);
  }

  function pump(): void {
    if (stopRequested) return;
    const free = concurrency - inFlight.size;
    if (free <= 0) return;
    const due = table
      .due(clock.now(), free + inFlight.size)
      .filter((record) => !inFlight.has(record.messageId))
      .slice(0, free);
    for (const record of due) {
      const controller = new AbortController();
      const done = attempt(record, controller.signal)
        .catch((error: unknown) => {
          logger.error({ err: error, messageId: record.messageId }, 'recording a media download failed');
        })
        .finally(() => {
          inFlight.delete(record.messageId);
          safely(pump);
        });
      inFlight.set(record.messageId, { controller, done });
    }
  }

  function safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      logger.error({ err: error }, 'media downloader step failed');
    }
  }

  scanLog();
  const unsubscribe = store.onEvents((events) => {
    for (const event of events) {
      const record = pendingDownloadIn(event);
      if (record !== null) waitingRegistration.push(record);
    }
    lastSeenSeq = events.at(-1)?.seq ?? lastSeenSeq;
    // Registered outside the committing call, batched: the webhook's answer does not wait for it.
    if (waitingRegistration.length > 0 && flushTimer === null) {
      flushTimer = setImmediate(() => {
        safely(flushRegistrations);
        safely(pump);
      });
    }
  });
  const poll = setInterval(() => safely(pump), deps.pollIntervalMs ?? DEFAULTS.pollIntervalMs);
  poll.unref();
  safely(pump);

  async function shutDown(): Promise<void> {
    stopRequested = true;
    clearInterval(poll);
    unsubscribe();
    flushRegistrations();
    table.advanceScanCursor(lastSeenSeq);
    const running = () => Promise.all([...inFlight.values()].map((download) => download.done));
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      running(),
      new Promise<void>((resolve) => {
        grace = setTimeout(resolve, deps.stopGraceMs ?? DEFAULTS.stopGraceMs);
      }),
    ]);
    clearTimeout(grace);
    for (const download of inFlight.values()) download.controller.abort();
    await running();
  }

  return {
    stop() {
      stopping ??= shutDown();
      return stopping;
    },
  };
}
