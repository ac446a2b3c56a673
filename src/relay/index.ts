// The relay: Meta's signed webhooks in, an ordered SQLite event log, sends through the Graph API at
// most once per client mutation, and a WebSocket stream of events to every console.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { OffsetClock, systemClock, type Clock } from '../shared/clock.ts';
import type { Agent } from '../shared/domain.ts';
import { CodedError } from '../shared/result.ts';
import { createAgentStore, type AgentRecord } from './agents/agent-store.ts';
import { watchExternalCommits } from './agents/agent-watch.ts';
import {
  changeAgentAccess,
  createAgent,
  revokeAgent,
  type AccessChangeInput,
  type NewAgentInput,
} from './agents/agents.ts';
import { createRelayApi } from './api/relay-api.ts';
import { createCommandRunner, settleInterruptedMutations } from './commands/command-runner.ts';
import { DEFAULT_NUMBER_MESSAGES_PER_SECOND, type RelayConfig } from './config.ts';
import { createGraphClient } from './graph/graph-client.ts';
import { createRelayHttpServer } from './http/server.ts';
import { createRelayLogger } from './logger.ts';
import { createOutboundDispatcher } from './outbound/dispatcher.ts';
import { startMediaService } from './media/media-service.ts';
import { openSqliteRelayStore } from './store/sqlite-relay-store.ts';
import { createLogHorizon } from './sync/log-horizon.ts';
import { createSyncServer } from './sync/sync-server.ts';
import { createNoteStore } from './team/note-store.ts';
import { createQuickReplyStore } from './team/quick-reply-store.ts';
import { createTemplateSource } from './templates/template-source.ts';
import { createTemplateSync } from './templates/template-sync.ts';
import { startUploadService } from './uploads/upload-service.ts';

export { loadRelayConfig, type RelayConfig } from './config.ts';

export interface Relay {
  /** http://host:port (webhook at `${url}/webhook`, sync at ws://host:port/v1/sync). */
  readonly url: string;
  readonly port: number;
  /** Creates an agent; the token is returned once and stored only as a hash. */
  createAgent(input: NewAgentInput): { agent: Agent; token: string };
  /** Revokes an agent's token; its open consoles are closed with `closeCodes.revoked`. */
  revokeAgent(agentId: string): AgentRecord;
  /** Changes an agent's numbers and/or role; its open consoles rebuild from a snapshot. */
  changeAgentAccess(agentId: string, change: AccessChangeInput): AgentRecord;
  /** Graceful: stops accepting, finishes in-flight webhooks and sends, closes sockets and the database. */
  close(): Promise<void>;
}

export interface RelayDeps {
  /** The relay's time source; an OffsetClock is used as is, so whoever shares it follows the clock control. */
  clock?: Clock;
  logger?: Logger;
  /** How often consoles are pinged (default 15 s); tests shorten it. */
  heartbeatIntervalMs?: number;
  /**
   * Sync Meta's templates on its own (default true): at start, every 6 hours, and when a webhook
   * names an approved template whose content is unknown. False: only on the sync_templates command
   * (tests that count events turn it off).
   */
  autoSyncTemplates?: boolean;
}

/** Connections still open this long after close() began are cut. */
const CLOSE_GRACE_MS = 5_000;
/** While stopping, how often connections that finished their request are closed. */
const IDLE_SWEEP_MS = 50;

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export async function startRelay(config: RelayConfig, deps: RelayDeps = {}): Promise<Relay> {
  // The demo/test clock control moves this offset (src/relay/control).
  const clock = deps.clock instanceof OffsetClock ? deps.clock : new OffsetClock(deps.clock ?? systemClock);
  const logger = deps.logger ?? createRelayLogger(config.logLevel);
  const store = openSqliteRelayStore(config.dbPath);
  const graph = createGraphClient({
    baseUrl: config.graphBaseUrl,
    version: config.graphVersion,
    accessToken: config.accessToken,
    timeoutMs: config.graphTimeoutMs,
  });
  const agents = createAgentStore(store.database);
  const uploads = await startUploadService({ config, store, agents, clock, logger });
  const outbound = createOutboundDispatcher({
    store,
    graph,
    uploader: uploads.uploader,
    clock,
    logger,
    numberMessagesPerSecond: config.numberMessagesPerSecond ?? DEFAULT_NUMBER_MESSAGES_PER_SECOND,
  });
  const context = {
    store,
    graph,
    clock,
    logger,
    agents,
    notes: createNoteStore(store.database),
    quickReplies: createQuickReplyStore(store.database),
    uploads: uploads.uploads,
    outbound,
    templates: createTemplateSync({
      store,
      clock,
      logger,
      source: createTemplateSource({
        baseUrl: config.graphBaseUrl,
        version: config.graphVersion,
        accessToken: config.accessToken,
        wabaId: config.wabaId,
        timeoutMs: config.graphTimeoutMs,
      }),
    }),
  };
  const interrupted = settleInterruptedMutations(context);
  if (interrupted > 0)
    logger.warn({ interrupted }, 'sends interrupted by the last stop are marked unknown (never resent)');
  outbound.start();

  const media = await startMediaService({ config, store, agents, clock, logger });
  const horizon = createLogHorizon({ store, clock, logger, horizonDays: config.eventHorizonDays });
  horizon.pruneAll();
  horizon.start();

  const runner = createCommandRunner(context);
  const sync = createSyncServer({
    store,
    team: { notes: context.notes, quickReplies: context.quickReplies },
    agents,
    horizon,
    runner,
    clock,
    logger,
    watchAgents: (onChange) => watchExternalCommits(store.database, onChange),
    ...(deps.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: deps.heartbeatIntervalMs }),
  });
  const api = createRelayApi({ store, agents, runner, presence: () => sync.presence(), clock, logger });
  const server = createRelayHttpServer({
    store,
    clock,
    logger,
    appSecret: config.appSecret,
    verifyToken: config.verifyToken,
    maxWebhookBytes: config.maxWebhookBytes,
    agents,
    controlClock: config.controlEnabled ? clock : null,
    media,
    uploads,
    api: api.router,
  });
  server.on('upgrade', (request, socket, head) => sync.handleUpgrade(request, socket, head));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await outbound.stop();
    await media.stop();
    await uploads.stop();
    await horizon.stop();
    store.close();
    throw new CodedError(
      'LISTEN_FAILED',
      `The relay cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
    );
  }
  server.on('error', (error) => logger.error({ err: error }, 'http server error'));

  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(config.host)}:${port}`;
  logger.info(
    { url, graphBaseUrl: config.graphBaseUrl, graphVersion: config.graphVersion },
    'relay listening',
  );
  // In the background: a Graph outage must not keep the relay from taking webhooks.
  if (deps.autoSyncTemplates ?? true) context.templates.start();

  let closing: Promise<void> | null = null;
  const shutDown = async (): Promise<void> => {
    // First: /readyz answers 503, so a load balancer stops sending new work here.
    api.readiness.beginShutdown();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive sockets must not hold the stop up: answers given from now on close their connection,
    // and connections whose request finished are closed as they fall idle. The cut is for stuck ones.
    server.on('request', (_request, response) => {
      if (!response.headersSent) response.setHeader('connection', 'close');
    });
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    await runner.drain();
    await context.templates.stop();
    // Sends in flight finish (and their outcomes reach consoles) before the sockets close.
    await outbound.stop();
    await sync.close();
    await media.stop();
    await uploads.stop();
    await horizon.stop();
    await serverClosed;
    clearInterval(sweep);
    clearTimeout(cut);
    store.close();
    logger.info('relay stopped');
  };

  return {
    url,
    port,
    createAgent(input) {
      return createAgent(agents, clock, input);
    },
    revokeAgent(agentId) {
      const record = revokeAgent(agents, clock, agentId);
      sync.refreshAgents();
      return record;
    },
    changeAgentAccess(agentId, change) {
      const record = changeAgentAccess(agents, clock, agentId, change);
      sync.refreshAgents();
      return record;
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
