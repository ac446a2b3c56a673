// Runs a REST request through its route declaration (api-spec.ts): method, bearer token and role,
// then path, query and body validated by the route's schemas, then the handler, whose answer is
// validated by the schema the OpenAPI document names for it. Every error is `{error: {code, message}}`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Agent } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';
import type { AgentStore } from '../agents/agent-store.ts';
import { authenticateAgent } from '../agents/agents.ts';
import { readBoundedBody } from '../http/read-body.ts';
import { sendError, sendJson } from '../http/respond.ts';
import {
  apiRoutes,
  type Access,
  type ApiRoutes,
  type OperationId,
  type ResponseSpec,
  type RouteSpec,
} from './api-spec.ts';

/** A refusal a handler (or the router) answers with: `{error: {code, message}}` and this HTTP status. */
export class ApiError extends CodedError {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(code, message);
    this.name = 'ApiError';
    this.status = status;
    this.headers = headers;
  }
}

type Parsed<S, K extends string> = S extends { readonly [P in K]: infer T extends z.ZodType }
  ? z.output<T>
  : undefined;

/** What a handler gets: the caller (null on public routes) and its validated input. */
export interface RouteInput<S extends RouteSpec> {
  agent: S['access'] extends 'public' ? null : Agent;
  params: Parsed<S, 'params'>;
  query: Parsed<S, 'query'>;
  body: Parsed<S, 'body'>;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export type RouteHandler<S extends RouteSpec> = (input: RouteInput<S>) => ApiAnswer | Promise<ApiAnswer>;
/** One handler per declared route: a route cannot be declared without being served. */
export type ApiHandlers = { [K in OperationId]: RouteHandler<ApiRoutes[K]> };

export interface ApiRouter {
  /** Whether `pathname` is one of the API's paths (any method). */
  handles(pathname: string): boolean;
  handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
}

export interface ApiRouterDeps {
  agents: AgentStore;
  handlers: ApiHandlers;
  logger: Logger;
}

interface CompiledRoute {
  operationId: OperationId;
  spec: RouteSpec;
  pattern: RegExp;
  paramNames: string[];
}

/** `/v1/conversations/{conversationId}/messages` -> a regex with one group per parameter. */
function compile(operationId: OperationId, spec: RouteSpec): CompiledRoute {
  const paramNames: string[] = [];
  const source = spec.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { operationId, spec, pattern: new RegExp(`^${source}$`), paramNames };
}

const ROLE_ACCESS: Record<Exclude<Access, 'public'>, readonly Agent['role'][]> = {
  agent: ['agent', 'supervisor', 'admin'],
  supervisor: ['supervisor', 'admin'],
  admin: ['admin'],
};

const invalid = (where: string, error: z.ZodError): ApiError =>
  new ApiError(400, 'INVALID_REQUEST', `Invalid ${where}:\n${z.prettifyError(error)}`);

function authenticate(agents: AgentStore, request: IncomingMessage, access: Access): Agent | null {
  if (access === 'public') return null;
  const agent = authenticateAgent(agents, request.headers.authorization)?.agent ?? null;
  if (agent === null) {
    throw new ApiError(
      401,
      'UNAUTHORIZED',
      'A valid agent token is required (Authorization: Bearer <token>)',
      {
        'www-authenticate': 'Bearer',
      },
    );
  }
  if (!ROLE_ACCESS[access].includes(agent.role)) {
    const who = access === 'admin' ? 'admins' : 'supervisors and admins';
    throw new ApiError(403, 'FORBIDDEN', `Only ${who} may use this route.`);
  }
  return agent;
}

function parseParams(route: CompiledRoute, match: RegExpExecArray): unknown {
  const values: Record<string, string> = {};
  for (const [index, name] of route.paramNames.entries()) {
    try {
      values[name] = decodeURIComponent(match[index + 1]!);
    } catch {
      throw new ApiError(404, 'NOT_FOUND', `Nothing at ${match[0]}`);
    }
  }
  if (route.spec.params === undefined) return undefined;
  const parsed = route.spec.params.safeParse(values);
  if (!parsed.success) throw invalid('path', parsed.error);
  return parsed.data;
}

function parseQuery(spec: RouteSpec, url: URL): unknown {
  if (spec.query === undefined) return undefined;
  const parsed = spec.query.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw invalid('query', parsed.error);
  return parsed.data;
}

async function parseBody(spec: RouteSpec, request: IncomingMessage): Promise<unknown> {
  if (spec.body === undefined) return undefined;
  const max = spec.maxBodyBytes ?? 0;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as JSON (Content-Type: application/json).',
    );
  const tooLarge = new ApiError(
    413,
    'PAYLOAD_TOO_LARGE',
    `Bodies of this route are limited to ${max} bytes.`,
    {
      connection: 'close',
    },
  );
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw tooLarge;
  const read = await readBoundedBody(request, max);
  if (!read.ok) {
    if (read.reason === 'too_large') throw tooLarge;
    throw new ApiError(400, 'ABORTED', 'The request body was cut off.');
  }
  let json: unknown;
  try {
    json = JSON.parse(read.body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'INVALID_JSON', 'The body is not valid JSON.');
  }
  const parsed = spec.body.safeParse(json);
  if (!parsed.success) throw invalid('body', parsed.error);
  return parsed.data;
}

/** The declared answer for this status: exact, else its class (4XX). */
function responseSpecFor(spec: RouteSpec, status: number): ResponseSpec | undefined {
  const responses = spec.responses as Partial<Record<string, ResponseSpec>>;
  return responses[String(status)] ?? responses[`${Math.floor(status / 100)}XX`];
}

export function createApiRouter(deps: ApiRouterDeps): ApiRouter {
  const routes = (Object.keys(apiRoutes) as OperationId[]).map((id) => compile(id, apiRoutes[id]));

  const matching = (pathname: string) =>
    routes.flatMap((route) => {
      const match = route.pattern.exec(pathname);
      return match === null ? [] : [{ route, match }];
    });

  /** Runs the route; an answer that breaks its own declared schema is never sent. */
  const answer = async (
    route: CompiledRoute,
    match: RegExpExecArray,
    request: IncomingMessage,
    url: URL,
  ): Promise<{ status: number; body: unknown; agentId: string | null }> => {
    const agent = authenticate(deps.agents, request, route.spec.access);
    const params = parseParams(route, match);
    const query = parseQuery(route.spec, url);
    const body = await parseBody(route.spec, request);
    const handler = deps.handlers[route.operationId] as (input: unknown) => ApiAnswer | Promise<ApiAnswer>;
    const result = await handler({ agent, params, query, body });
    const declared = responseSpecFor(route.spec, result.status);
    const checked = declared?.schema.safeParse(result.body);
    if (checked === undefined || !checked.success) {
      deps.logger.error(
        {
          operationId: route.operationId,
          status: result.status,
          problem: checked?.error.message ?? 'undeclared status',
        },
        'api answer does not match its declaration',
      );
      throw new ApiError(500, 'INTERNAL', 'The relay could not answer this request.');
    }
    return { status: result.status, body: checked.data, agentId: agent?.id ?? null };
  };

  return {
    handles: (pathname) => matching(pathname).length > 0,

    async handle(request, response, url) {
      const method = request.method ?? 'GET';
      const candidates = matching(url.pathname);
      const found = candidates.find(({ route }) => route.spec.method === method);
      const log = { method, path: url.pathname };
      if (found === undefined) {
        const allow = [...new Set(candidates.map(({ route }) => route.spec.method))].join(', ');
        sendError(response, 405, 'METHOD_NOT_ALLOWED', `Use ${allow}`, { allow });
        return;
      }
      try {
        const { status, body, agentId } = await answer(found.route, found.match, request, url);
        deps.logger.debug({ ...log, status, agentId }, 'api request');
        sendJson(response, status, body);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        deps.logger.debug({ ...log, status: error.status, code: error.code }, 'api request refused');
        if (response.headersSent) return;
        sendError(response, error.status, error.code, error.message, error.headers);
      }
    },
  };
}
