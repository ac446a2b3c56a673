// What a command needs from the relay: its store, the Graph API, its clock and its log.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { GraphClient } from '../graph/graph-client.ts';
import type { RelayStore } from '../store/relay-store.ts';

export interface CommandContext {
  store: RelayStore;
  graph: GraphClient;
  clock: Clock;
  logger: Logger;
}
