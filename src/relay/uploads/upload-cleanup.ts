// Uploads nobody sent do not stay: a day after an upload, if no message carries it, its row and file
// go (an agent who changed their mind, a console that crashed before sending). Uploads a message
// carries are kept, so consoles can still show what was sent.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { MediaFiles } from '../media/media-files.ts';
import type { UploadTable } from './upload-table.ts';

export const UNUSED_UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface UploadCleanupDeps {
  table: UploadTable;
  files: MediaFiles;
  clock: Clock;
  logger: Logger;
}

/** Removes unused uploads older than a day (on the relay's clock); answers how many. */
export async function removeUnusedUploads(deps: UploadCleanupDeps): Promise<number> {
  // Rows first: once they are gone no command can pick the upload, so its file can go safely.
  const names = deps.table.deleteUnusedBefore(deps.clock.now() - UNUSED_UPLOAD_LIFETIME_MS);
  await Promise.all(names.map((name) => rm(deps.files.pathOf(name), { force: true })));
  if (names.length > 0) deps.logger.info({ removed: names.length }, 'unused uploads removed');
  return names.length;
}

/**
 * Removes files no row names: a crash between storing a file and recording it, or between removing a
 * row and its file. Run at start only, before any upload can be in progress (temp files are
 * removed by the media folder's own `prepare`).
 */
export async function removeOrphanFiles(deps: UploadCleanupDeps): Promise<number> {
  const known = deps.table.storedNames();
  const orphans = (await readdir(deps.files.dir, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && !known.has(entry.name))
    .map((entry) => entry.name);
  await Promise.all(orphans.map((name) => rm(join(deps.files.dir, name), { force: true })));
  if (orphans.length > 0) deps.logger.warn({ removed: orphans.length }, 'orphan upload files removed');
  return orphans.length;
}
