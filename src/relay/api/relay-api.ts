// The REST API as the relay wires it: the router over the handlers, and the readiness the graceful
// shutdown flips first so /readyz turns 503 while the relay finishes what it has.
import type { Logger } from 'pino';
import { createApiHandlers, type ApiDeps } from './api-handlers.ts';
import { createApiRouter, type ApiRouter } from './api-router.ts';
import { createReadiness, type Readiness } from './readiness.ts';

export interface RelayApi {
  router: ApiRouter;
  readiness: Readiness;
}

export function createRelayApi(deps: Omit<ApiDeps, 'readiness'> & { logger: Logger }): RelayApi {
  const readiness = createReadiness(deps.store.database);
  const handlers = createApiHandlers({ ...deps, readiness });
  return { router: createApiRouter({ agents: deps.agents, handlers, logger: deps.logger }), readiness };
}
