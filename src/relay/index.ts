// The relay: Meta's signed webhooks in, an ordered SQLite event log, sends through the Graph API at
// most once per client mutation, and a WebSocket stream of events to every console.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../shared/clock.ts';
import type { Agent } from '../shared/domain.ts';
import { CodedError } from '../shared/result.ts';
import { createAgent, type NewAgentInput } from './agents/agents.ts';
import { createCommandRunner, settleInterruptedMutations } from './commands/command-runner.ts';
import type { RelayConfig } from './config.ts';
import { createGraphClient } from './graph/graph-client.ts';
import { createRelayHttpServer } from './http/server.ts';
import { createRelayLogger } from './logger.ts';
import { openSqliteRelayStore } from './store/sqlite-relay-store.ts';
import { createSyncServer } from './sync/sync-server.ts';

export { loadRelayConfig, type RelayConfig } from './config.ts';

export interface Relay {
  /** http://host:port (webhook at `${url}/webhook`, sync at ws://host:port/v1/sync). */
  readonly url: string;
  readonly port: number;
  /** Creates an agent; the token is returned once and stored only as a hash. */
  createAgent(input: NewAgentInput): { agent: Agent; token: string };
  /** Graceful: stops accepting, finishes in-flight webhooks and sends, closes sockets and the database. */
  close(): Promise<void>;
}

export interface RelayDeps {
  clock?: Clock;
  logger?: Logger;
}

/** Connections still open this long after close() began are cut. */
const CLOSE_GRACE_MS = 5_000;

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export async function startRelay(config: RelayConfig, deps: RelayDeps = {}): Promise<Relay> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createRelayLogger(config.logLevel);
  const store = openSqliteRelayStore(config.dbPath);
  const graph = createGraphClient({
    baseUrl: config.graphBaseUrl,
    version: config.graphVersion,
    accessToken: config.accessToken,
    timeoutMs: config.graphTimeoutMs,
  });
  const context = { store, graph, clock, logger };
  const interrupted = settleInterruptedMutations(context);
  if (interrupted > 0)
    logger.warn({ interrupted }, 'sends interrupted by the last stop are marked unknown (never resent)');

  const runner = createCommandRunner(context);
  const sync = createSyncServer({ store, runner, clock, logger });
  const server = createRelayHttpServer({
    store,
    clock,
    logger,
    appSecret: config.appSecret,
    verifyToken: config.verifyToken,
    maxWebhookBytes: config.maxWebhookBytes,
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

  let closing: Promise<void> | null = null;
  const shutDown = async (): Promise<void> => {
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    await runner.drain();
    await sync.close();
    server.closeIdleConnections();
    await serverClosed;
    clearTimeout(cut);
    store.close();
    logger.info('relay stopped');
  };

  return {
    url,
    port,
    createAgent(input) {
      return createAgent(store, clock, input);
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
