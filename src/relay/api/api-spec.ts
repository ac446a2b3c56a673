// Every REST route the relay serves, declared once: method, path, who may call it, and the schemas of
// its path, query, body and answers. The router runs requests through these declarations and the
// OpenAPI document is generated from them (openapi.ts), so neither can forget a route.
import type { z } from 'zod';
import {
  agentListSchema,
  alertListQuerySchema,
  alertListSchema,
  apiErrorSchema,
  commandDoneSchema,
  commandRefusedSchema,
  commandRequestSchema,
  conversationListQuerySchema,
  conversationPageSchema,
  conversationParamsSchema,
  healthSchema,
  MAX_COMMAND_BYTES,
  meSchema,
  messagePageQuerySchema,
  messagePageSchema,
  openApiDocumentSchema,
  phoneNumberListSchema,
  readySchema,
  templateListQuerySchema,
  templateListSchema,
} from './api-schemas.ts';

/**
 * Who may call a route: anyone (`public`), any agent with a valid token (`agent`), or only
 * supervisors and admins (`supervisor`), or only admins (`admin`). What an agent then sees is still
 * filtered by its numbers, exactly as on the sync stream.
 */
export type Access = 'public' | 'agent' | 'supervisor' | 'admin';

/** An answer's status: exact (`200`) or a class (`4XX`). */
export type StatusKey = `${number}` | `${1 | 2 | 3 | 4 | 5}XX`;

export interface ResponseSpec {
  readonly description: string;
  /** Must be registered in apiComponents: the document refers to it by name. */
  readonly schema: z.ZodType;
}

export interface RouteSpec {
  readonly method: 'GET' | 'POST';
  /** OpenAPI style: `/v1/conversations/{conversationId}/messages`. */
  readonly path: `/${string}`;
  readonly summary: string;
  readonly description: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** Largest body accepted (bytes); required with `body`. */
  readonly maxBodyBytes?: number;
  /** The route's own answers; the router's errors (400, 401, 403, 405, 413, 415) are added by the document. */
  readonly responses: Readonly<Partial<Record<StatusKey, ResponseSpec>>>;
}

const notFound = {
  description: 'No such conversation (or not one of your numbers).',
  schema: apiErrorSchema,
};

export const apiRoutes = {
  health: {
    method: 'GET',
    path: '/healthz',
    tag: 'operations',
    summary: 'Liveness',
    description: 'The relay process is up and answering HTTP.',
    access: 'public',
    responses: { '200': { description: 'Up.', schema: healthSchema } },
  },
  ready: {
    method: 'GET',
    path: '/readyz',
    tag: 'operations',
    summary: 'Readiness',
    description:
      'Ready to take traffic: the database is writable and the relay is not shutting down. A load balancer stops sending traffic on 503.',
    access: 'public',
    responses: {
      '200': { description: 'Ready.', schema: readySchema },
      '503': {
        description: 'Not ready: SHUTTING_DOWN or DATABASE_UNAVAILABLE.',
        schema: apiErrorSchema,
      },
    },
  },
  openApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    tag: 'operations',
    summary: 'This API as an OpenAPI 3.1 document',
    description: 'Generated from the same schemas that validate requests and answers.',
    access: 'public',
    responses: { '200': { description: 'The document.', schema: openApiDocumentSchema } },
  },
  me: {
    method: 'GET',
    path: '/v1/me',
    tag: 'agents',
    summary: 'The calling agent',
    description: "The token's agent and the relay's clock.",
    access: 'agent',
    responses: { '200': { description: 'The agent.', schema: meSchema } },
  },
  listConversations: {
    method: 'GET',
    path: '/v1/conversations',
    tag: 'conversations',
    summary: 'Conversations, newest activity first',
    description:
      "Conversations of the caller's numbers (supervisors and admins: every number), filtered and paged by cursor.",
    access: 'agent',
    query: conversationListQuerySchema,
    responses: { '200': { description: 'One page.', schema: conversationPageSchema } },
  },
  listMessages: {
    method: 'GET',
    path: '/v1/conversations/{conversationId}/messages',
    tag: 'conversations',
    summary: "A conversation's messages, paged by timestamp",
    description:
      'Without a cursor: the newest messages. `before` pages back in time, `after` forward (poll it for new messages).',
    access: 'agent',
    params: conversationParamsSchema,
    query: messagePageQuerySchema,
    responses: {
      '200': { description: 'One page, oldest first.', schema: messagePageSchema },
      '404': notFound,
    },
  },
  listTemplates: {
    method: 'GET',
    path: '/v1/templates',
    tag: 'catalog',
    summary: 'Message templates',
    description: "The account's templates as last synced from Meta and updated by template webhooks.",
    access: 'agent',
    query: templateListQuerySchema,
    responses: { '200': { description: 'Every matching template.', schema: templateListSchema } },
  },
  listPhoneNumbers: {
    method: 'GET',
    path: '/v1/phone-numbers',
    tag: 'catalog',
    summary: 'Business phone numbers',
    description:
      "The caller's numbers (supervisors and admins: every number), with Meta's last word on their health.",
    access: 'agent',
    responses: { '200': { description: 'The numbers.', schema: phoneNumberListSchema } },
  },
  listAlerts: {
    method: 'GET',
    path: '/v1/alerts',
    tag: 'catalog',
    summary: 'Recent admin alerts',
    description:
      'Account updates, errors Meta reports on whole deliveries, and webhooks kept raw. Admins only.',
    access: 'admin',
    query: alertListQuerySchema,
    responses: { '200': { description: 'The newest alerts.', schema: alertListSchema } },
  },
  listAgents: {
    method: 'GET',
    path: '/v1/agents',
    tag: 'agents',
    summary: 'Agents with presence',
    description: 'Every agent whose token is valid, and whether a console of theirs is connected now.',
    access: 'supervisor',
    responses: { '200': { description: 'The team.', schema: agentListSchema } },
  },
  runCommand: {
    method: 'POST',
    path: '/v1/commands',
    tag: 'commands',
    summary: 'Carry out an agent action, at most once',
    description:
      'The same commands consoles send over the sync stream, run by the same runner: idempotent by `mutationId` ' +
      '(a repeat answers the first outcome and never reaches Meta again). Its effects arrive as events. ' +
      'A send is accepted into the outbound queue; its delivery status travels on the message.',
    access: 'agent',
    body: commandRequestSchema,
    maxBodyBytes: MAX_COMMAND_BYTES,
    responses: {
      '200': {
        description: 'Carried out (or carried out before: the same answer).',
        schema: commandDoneSchema,
      },
      '4XX': {
        description:
          'Refused, with the reason: 403 role, 404 conversation or message not visible, 409 mutation id of another agent, 422 anything else (window closed, template parameters, ...). A repeat gets the same refusal.',
        schema: commandRefusedSchema,
      },
      '500': {
        description:
          'The relay failed internally; nothing was stored, so the same mutation may be sent again.',
        schema: commandRefusedSchema,
      },
      '503': {
        description:
          'Not answered now: SHUTTING_DOWN, or MUTATION_PENDING (an earlier attempt broke off; the next start settles it). Send the same mutation again later.',
        schema: apiErrorSchema,
      },
    },
  },
} as const satisfies Record<string, RouteSpec>;

export type ApiRoutes = typeof apiRoutes;
export type OperationId = keyof ApiRoutes;
