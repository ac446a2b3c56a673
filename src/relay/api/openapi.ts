// The OpenAPI 3.1 document of the REST API, generated from the route declarations and their zod
// schemas (zod's own JSON Schema output, draft 2020-12 as OpenAPI 3.1 uses). Request schemas are
// written as the client sends them (`io: 'input'`), answers as the relay sends them (`io: 'output'`).
import { z } from 'zod';
import { apiComponents, apiErrorSchema } from './api-schemas.ts';
import { apiRoutes, type RouteSpec } from './api-spec.ts';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, JsonSchema> };
}

const COMPONENT_PREFIX = '#/components/schemas/';
export const API_VERSION = '1';

const TAGS = [
  { name: 'conversations', description: 'Conversations and their messages, as the agent may see them.' },
  { name: 'commands', description: 'Agent actions, each carried out at most once.' },
  { name: 'catalog', description: "Templates, business numbers and the admins' alerts." },
  { name: 'agents', description: 'Who is on the team and who is online.' },
  { name: 'operations', description: 'Health, readiness and this document.' },
];

/** The standalone parts zod adds to each schema, which a component inside a document must not carry. */
function asEmbedded(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function inputSchema(schema: z.ZodType): JsonSchema {
  return asEmbedded(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
}

function componentRef(schema: z.ZodType): JsonSchema {
  const id = apiComponents.get(schema)?.id;
  if (id === undefined) throw new Error('every answer schema must be registered in apiComponents');
  return { $ref: `${COMPONENT_PREFIX}${id}` };
}

const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: componentRef(apiErrorSchema) } },
});

/** The answers the router itself gives, by what the route declares. */
function routerAnswers(spec: RouteSpec): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  if (spec.params !== undefined || spec.query !== undefined || spec.body !== undefined)
    answers['400'] = errorAnswer('INVALID_REQUEST (or INVALID_JSON): the input does not match this route.');
  if (spec.access !== 'public') answers['401'] = errorAnswer('UNAUTHORIZED: no valid agent token.');
  if (spec.access === 'supervisor' || spec.access === 'admin')
    answers['403'] = errorAnswer(`FORBIDDEN: the agent's role may not use this route.`);
  answers['405'] = errorAnswer('METHOD_NOT_ALLOWED, with an Allow header.');
  if (spec.body !== undefined) {
    answers['413'] = errorAnswer(`PAYLOAD_TOO_LARGE: the body is over ${spec.maxBodyBytes ?? 0} bytes.`);
    answers['415'] = errorAnswer('UNSUPPORTED_MEDIA_TYPE: the body must be application/json.');
  }
  return answers;
}

function parameters(spec: RouteSpec): unknown[] {
  const list: unknown[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (schema === undefined) continue;
    const json = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...propertySchema } = property;
      list.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: propertySchema,
      });
    }
  }
  return list;
}

function operation(operationId: string, spec: RouteSpec): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    if (answer === undefined) continue;
    answers[status] = {
      description: answer.description,
      content: { 'application/json': { schema: componentRef(answer.schema) } },
    };
  }
  return {
    operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: spec.description,
    security: spec.access === 'public' ? [] : [{ agentToken: [] }],
    ...(spec.access === 'public' ? {} : { 'x-access': spec.access }),
    parameters: parameters(spec),
    ...(spec.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: inputSchema(spec.body) } },
          },
        }),
    responses: { ...routerAnswers(spec), ...answers },
  };
}

export function buildOpenApiDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [operationId, spec] of Object.entries(apiRoutes) as [string, RouteSpec][]) {
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method.toLowerCase()] = operation(operationId, spec);
  }
  const { schemas } = z.toJSONSchema(apiComponents, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `${COMPONENT_PREFIX}${id}`,
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ventana relay',
      version: API_VERSION,
      description:
        'The relay\'s REST API for integrations and supervisors. Authenticate with an agent token (`Authorization: Bearer <token>`, from `npm run relay -- agent add`); what a caller sees follows its role and numbers, as on the console\'s sync stream. Errors are `{"error": {"code", "message"}}`.',
    },
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        agentToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An agent token. Agents see their numbers; supervisors and admins see every number.',
        },
      },
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([id, schema]) => [id, asEmbedded(schema as JsonSchema)]),
      ),
    },
  };
}
