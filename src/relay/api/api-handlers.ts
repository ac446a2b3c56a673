// What each REST route does once the router has authenticated the caller and validated its input.
// Visibility follows the sync stream: agents see their numbers; supervisors and admins see all.
import type { Clock } from '../../shared/clock.ts';
import type { AgentStore } from '../agents/agent-store.ts';
import { canSeeNumber } from '../agents/visibility.ts';
import type { CommandRunner } from '../commands/command-runner.ts';
import type { SqliteRelayStore } from '../store/sqlite-relay-store.ts';
import type { AgentPresence } from '../sync/sync-server.ts';
import type { ApiHandlers } from './api-router.ts';
import { ApiError } from './api-router.ts';
import { commandHttpStatus } from './command-status.ts';
import { listConversations } from './conversation-list.ts';
import { messagePage } from './message-page.ts';
import { buildOpenApiDocument } from './openapi.ts';
import type { Readiness } from './readiness.ts';

export interface ApiDeps {
  store: Pick<
    SqliteRelayStore,
    'database' | 'getConversation' | 'getMessage' | 'listTemplates' | 'listPhoneNumbers' | 'listRecentAlerts'
  >;
  agents: AgentStore;
  /** The same runner the sync stream uses: one idempotency record for both ways in. */
  runner: CommandRunner;
  /** Who is connected now (the sync server's presence). */
  presence(): Map<string, AgentPresence>;
  readiness: Readiness;
  clock: Clock;
}

const sameText = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();

export function createApiHandlers(deps: ApiDeps): ApiHandlers {
  const { store, clock } = deps;
  // Built once: it only depends on the route declarations.
  let openApiDocument: ReturnType<typeof buildOpenApiDocument> | null = null;

  return {
    health: () => ({ status: 200, body: { status: 'ok' } }),

    ready: () => {
      const problem = deps.readiness.check();
      if (problem !== null) throw new ApiError(503, problem.code, problem.message, { 'retry-after': '5' });
      return { status: 200, body: { status: 'ready' } };
    },

    openApi: () => {
      openApiDocument ??= buildOpenApiDocument();
      return { status: 200, body: openApiDocument };
    },

    me: ({ agent }) => ({ status: 200, body: { agent, serverTime: clock.now() } }),

    listConversations: ({ agent, query }) => ({
      status: 200,
      body: listConversations(store, agent, query, clock.now()),
    }),

    listMessages: ({ agent, params, query }) => {
      const conversation = store.getConversation(params.conversationId);
      // An invisible conversation is reported as missing: an agent learns nothing about other numbers.
      if (conversation === null || !canSeeNumber(agent, conversation.phoneNumberId)) {
        throw new ApiError(
          404,
          'CONVERSATION_NOT_FOUND',
          'This conversation does not exist or belongs to a number you are not a member of.',
        );
      }
      return { status: 200, body: messagePage(store, conversation.id, query) };
    },

    listTemplates: ({ query }) => ({
      status: 200,
      body: {
        templates: store
          .listTemplates()
          .filter(
            (template) =>
              (query.status === undefined || sameText(template.status, query.status)) &&
              (query.category === undefined ||
                (template.category !== null && sameText(template.category, query.category))) &&
              (query.language === undefined || template.language === query.language),
          ),
      },
    }),

    listPhoneNumbers: ({ agent }) => ({
      status: 200,
      body: { phoneNumbers: store.listPhoneNumbers().filter((number) => canSeeNumber(agent, number.id)) },
    }),

    listAlerts: ({ query }) => ({ status: 200, body: { alerts: store.listRecentAlerts(query.limit) } }),

    listAgents: () => {
      const online = deps.presence();
      const agents = deps.agents
        .list()
        .filter((record) => record.revokedAt === null)
        .map(({ agent }) => {
          const presence = online.get(agent.id);
          return {
            ...agent,
            presence:
              presence === undefined
                ? { online: false, since: null, consoles: 0 }
                : { online: true, since: presence.since, consoles: presence.consoles },
          };
        });
      return { status: 200, body: { agents } };
    },

    runCommand: async ({ agent, body }) => {
      const outcome = deps.runner.run(agent, body.mutationId, body.command);
      if (outcome === null) {
        // Never a refusal: a console or integration keeps the mutation and sends the same id again.
        if (deps.readiness.shuttingDown) {
          throw new ApiError(
            503,
            'SHUTTING_DOWN',
            'The relay is shutting down; send the same mutation again to the relay that takes over.',
            { 'retry-after': '5' },
          );
        }
        throw new ApiError(
          503,
          'MUTATION_PENDING',
          'An earlier attempt of this mutation broke off; the relay settles it at its next start. Send the same mutation again later.',
          { 'retry-after': '5' },
        );
      }
      const result = await outcome;
      return { status: commandHttpStatus(result), body: result };
    },
  };
}
