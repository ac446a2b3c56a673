// Outbound media, wired: the uploads folder and table, the HTTP routes, the uploader the outbound
// dispatcher calls, and the removal of uploads nobody sent. The relay starts it after its store and
// stops it before closing the store.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { AgentStore } from '../agents/agent-store.ts';
import type { RelayConfig } from '../config.ts';
import { createMediaFiles } from '../media/media-files.ts';
import type { SqliteRelayStore } from '../store/sqlite-relay-store.ts';
import { createMediaUploader, type MediaUploader } from './media-uploader.ts';
import { removeOrphanFiles, removeUnusedUploads } from './upload-cleanup.ts';
import { handleUploadRequest } from './upload-routes.ts';
import { createUploadTable, type UploadStore } from './upload-table.ts';

export { isUploadsPath, UPLOADS_PATH } from './upload-routes.ts';
export type { MediaUploader, MediaUploadResult } from './media-uploader.ts';
export type { UploadRecord, UploadStore } from './upload-table.ts';

/** Uploads live in this folder under the media folder. */
export const UPLOADS_FOLDER = 'uploads';
/** How often uploads nobody sent are looked for (real time; the age is measured on the relay's clock). */
const CLEANUP_INTERVAL_MS = 10 * 60_000;

export interface UploadService {
  /** Answers POST /v1/uploads and GET|HEAD /v1/uploads/{id} (paths for which isUploadsPath is true). */
  handleRequest(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
  /** For commands: find an upload, mark it used by a message. */
  readonly uploads: UploadStore;
  /** For the outbound dispatcher: Meta's media id of an upload on a number. */
  readonly uploader: MediaUploader;
  /** Stops the periodic removal (waiting for a running one). */
  stop(): Promise<void>;
}

export interface UploadServiceDeps {
  config: Pick<RelayConfig, 'mediaDir' | 'graphBaseUrl' | 'graphVersion' | 'accessToken' | 'graphTimeoutMs'>;
  store: SqliteRelayStore;
  agents: AgentStore;
  clock: Clock;
  logger: Logger;
}

export async function startUploadService(deps: UploadServiceDeps): Promise<UploadService> {
  const { config, clock } = deps;
  const logger = deps.logger.child({ component: 'uploads' });
  const files = createMediaFiles(join(config.mediaDir, UPLOADS_FOLDER));
  const table = createUploadTable(deps.store.database);
  const cleanupDeps = { table, files, clock, logger };
  // The folder appears with the first upload (receive-upload.ts); until then there is nothing to tidy.
  if (existsSync(files.dir)) {
    await files.prepare();
    await removeOrphanFiles(cleanupDeps);
  }

  let running: Promise<unknown> = removeUnusedUploads(cleanupDeps);
  await running;
  const timer = setInterval(() => {
    running = removeUnusedUploads(cleanupDeps).catch((error: unknown) =>
      logger.error({ err: error }, 'removing unused uploads failed'),
    );
  }, CLEANUP_INTERVAL_MS);
  timer.unref();

  const uploader = createMediaUploader(
    {
      baseUrl: config.graphBaseUrl,
      version: config.graphVersion,
      accessToken: config.accessToken,
      timeoutMs: config.graphTimeoutMs,
    },
    { table, files, clock, logger },
  );
  const routeDeps = { agents: deps.agents, table, files, clock, logger };

  return {
    handleRequest: (request, response, url) => handleUploadRequest(request, response, url, routeDeps),
    uploads: table,
    uploader,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
