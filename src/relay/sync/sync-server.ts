// The WebSocket side of the relay: authenticates consoles at the upgrade (a bad or revoked token never
// gets a socket), fans committed events out to every live connection, keeps connections honest with
// heartbeats, and applies agent changes (revocation, visibility) to the connections already open.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES, SYNC_PATH, closeCodes } from '../../shared/protocol.ts';
import type { AgentStore } from '../agents/agent-store.ts';
import { authenticateAgent } from '../agents/agents.ts';
import { SyncConnection, type ConnectionDeps } from './connection.ts';
import { SharedEventFrames } from './event-frames.ts';

export const HEARTBEAT_INTERVAL_MS = 15_000;
/** How long a graceful close waits for consoles to answer the close frame. */
const CLOSE_GRACE_MS = 2_000;

export interface SyncServerDeps extends ConnectionDeps {
  agents: AgentStore;
  /** Calls back when agents may have been changed by another process; returns the stop function. */
  watchAgents(onChange: () => void): () => void;
  /** Default HEARTBEAT_INTERVAL_MS; tests shorten it. */
  heartbeatIntervalMs?: number;
}

/** One agent's connected consoles. */
export interface AgentPresence {
  /** How many consoles of the agent are connected. */
  consoles: number;
  /** When (relay clock, ms) the longest-connected of them connected. */
  since: number;
}

export interface SyncServer {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly connectionCount: number;
  /** Who is connected now, by agent id (agents without a console are absent). Read-only. */
  presence(): Map<string, AgentPresence>;
  /** Re-reads the agents of open connections: revoked ones are closed, changed visibility rebuilds. */
  refreshAgents(): void;
  /** Refuses new connections and closes the open ones with `shuttingDown`. */
  close(): Promise<void>;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: { code: reason, message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export function createSyncServer(deps: SyncServerDeps): SyncServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const connections = new Set<SyncConnection>();
  // When each open connection was upgraded, for presence.
  const connectedAt = new WeakMap<SyncConnection, number>();
  let closing = false;

  const unsubscribe = deps.store.onEvents((events) => {
    const commit = new SharedEventFrames(events);
    for (const connection of connections) {
      try {
        connection.deliver(commit);
      } catch (error) {
        deps.logger.error({ err: error, agentId: connection.agent.id }, 'live delivery failed');
        connection.terminate();
      }
    }
  });

  const refreshAgents = (): void => {
    for (const connection of connections) {
      try {
        connection.updateAgent(deps.agents.get(connection.agent.id));
      } catch (error) {
        deps.logger.error({ err: error, agentId: connection.agent.id }, 'could not refresh an agent');
      }
    }
  };
  const stopWatching = deps.watchAgents(refreshAgents);

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, deps.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  return {
    handleUpgrade(request, socket, head) {
      socket.on('error', () => socket.destroy());
      const path = new URL(request.url ?? '/', 'http://relay').pathname;
      if (path !== SYNC_PATH)
        return refuseUpgrade(socket, 404, 'Not Found', `No WebSocket endpoint at ${path}`);
      if (closing) return refuseUpgrade(socket, 503, 'Service Unavailable', 'The relay is shutting down');
      const record = authenticateAgent(deps.agents, request.headers.authorization);
      if (record === null) {
        return refuseUpgrade(
          socket,
          401,
          'Unauthorized',
          'A valid agent token is required (Authorization: Bearer <token>)',
        );
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        const connection = new SyncConnection(ws, record, deps);
        connections.add(connection);
        connectedAt.set(connection, deps.clock.now());
        ws.on('close', () => connections.delete(connection));
      });
    },

    get connectionCount() {
      return connections.size;
    },

    presence() {
      const byAgent = new Map<string, AgentPresence>();
      for (const connection of connections) {
        const at = connectedAt.get(connection) ?? deps.clock.now();
        const seen = byAgent.get(connection.agent.id);
        byAgent.set(
          connection.agent.id,
          seen === undefined
            ? { consoles: 1, since: at }
            : { consoles: seen.consoles + 1, since: Math.min(seen.since, at) },
        );
      }
      return byAgent;
    },

    refreshAgents,

    async close() {
      closing = true;
      clearInterval(heartbeat);
      stopWatching();
      unsubscribe();
      const open = [...connections];
      const grace = setTimeout(() => open.forEach((connection) => connection.terminate()), CLOSE_GRACE_MS);
      await Promise.all(
        open.map((connection) => connection.close(closeCodes.shuttingDown, 'relay shutting down')),
      );
      clearTimeout(grace);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
