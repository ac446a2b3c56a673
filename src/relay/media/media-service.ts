// Inbound media, wired: the download schedule, the Graph calls, the media folder and the HTTP route.
// The relay starts it after its store and stops it before closing the store.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { AgentStore } from '../agents/agent-store.ts';
import type { RelayConfig } from '../config.ts';
import type { SqliteRelayStore } from '../store/sqlite-relay-store.ts';
import { createMediaSource } from './graph-media.ts';
import { startMediaDownloader } from './media-downloader.ts';
import { createMediaFiles } from './media-files.ts';
import { handleMediaRequest } from './media-route.ts';
import { createMediaTable } from './media-table.ts';

export { MEDIA_PATH_PREFIX } from './media-route.ts';

/** Meta's download URLs live about 5 minutes; a download still running then cannot finish anyway. */
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

export interface MediaService {
  /** Answers `GET /v1/media/{media-id}` (paths under MEDIA_PATH_PREFIX). */
  handleRequest(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
  /** Stops downloading; running downloads finish or are cut (and retried at the next start). */
  stop(): Promise<void>;
}

export interface MediaServiceDeps {
  config: Pick<RelayConfig, 'mediaDir' | 'graphBaseUrl' | 'graphVersion' | 'accessToken' | 'graphTimeoutMs'>;
  store: SqliteRelayStore;
  agents: AgentStore;
  clock: Clock;
  logger: Logger;
}

export async function startMediaService(deps: MediaServiceDeps): Promise<MediaService> {
  const { config, store, clock } = deps;
  const logger = deps.logger.child({ component: 'media' });
  const files = createMediaFiles(config.mediaDir);
  await files.prepare();
  const table = createMediaTable(store.database);
  const source = createMediaSource({
    baseUrl: config.graphBaseUrl,
    version: config.graphVersion,
    accessToken: config.accessToken,
    lookupTimeoutMs: config.graphTimeoutMs,
    downloadTimeoutMs: Math.max(config.graphTimeoutMs, DOWNLOAD_TIMEOUT_MS),
  });
  const downloader = startMediaDownloader({ store, table, source, files, clock, logger });
  return {
    handleRequest: (request, response, url) =>
      handleMediaRequest(request, response, url, { agents: deps.agents, table, files, logger }),
    stop: () => downloader.stop(),
  };
}
