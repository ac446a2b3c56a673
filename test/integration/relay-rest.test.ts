// The relay's REST API over real HTTP on loopback, with the relay's SQLite file in a temp dir and the
// Cloud API simulator as Meta (one manual clock for both): each route's filters and role filtering,
// commands (success, refusal, replay, the same idempotency record as the sync stream), readiness,
// and the OpenAPI document checked against what the routes really accept and answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// ajv: a standard JSON Schema 2020-12 validator, independent of the zod that wrote the document.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { apiRoutes, type RouteSpec } from '../../src/relay/api/api-spec.ts';
import { buildOpenApiDocument } from '../../src/relay/api/openapi.ts';
import type { Agent, Conversation, Message, Template } from '../../src/shared/domain.ts';
import { waitFor } from '../helpers/console-wait.ts';
import { NUMBER_A, NUMBER_B, WABA_ID, startRelayStack, type RelayStack } from '../helpers/relay-stack.ts';
import { RelaySyncClient } from '../helpers/relay-sync-client.ts';

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

// Customers of number A: one who wrote 25 h ago (window closed), one 23.5 h ago (closing within the
// hour), one 22.5 h ago (open, closing in an hour and a half), one half an hour ago (open, with five
// messages); two of number B who wrote in the same second.
const OLD = '5215510000001';
const EXPIRING = '5215510000002';
const LATER = '5215510000004';
const RECENT = '5215510000003';
const B_FIRST = '5215520000001';
const B_SECOND = '5215520000002';
const conv = (number: string, customer: string) => `${number}:${customer}`;
const OLD_ID = conv(NUMBER_A, OLD);
const EXPIRING_ID = conv(NUMBER_A, EXPIRING);
const LATER_ID = conv(NUMBER_A, LATER);
const RECENT_ID = conv(NUMBER_A, RECENT);
const B_FIRST_ID = conv(NUMBER_B, B_FIRST);
const B_SECOND_ID = conv(NUMBER_B, B_SECOND);

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { error?: { code: string; message: string } };
}

let stack: RelayStack;
let tokens: { admin: string; supervisor: string; agentA: string; agentB: string; revoked: string };
let agents: { admin: Agent; supervisor: Agent; agentA: Agent; agentB: Agent };

async function call(
  path: string,
  options: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${stack.relay.url}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Answer['json'],
  };
}

const get = (path: string, token: string) => call(path, { token });
const command = (token: string, mutationId: string, body: Record<string, unknown>) =>
  call('/v1/commands', { token, body: { mutationId, command: body } });

async function conversationIds(query: string, token = tokens.supervisor): Promise<string[]> {
  const answer = await get(`/v1/conversations${query}`, token);
  expect(answer.status).toBe(200);
  return (answer.json.conversations as Conversation[]).map((c) => c.id);
}

beforeAll(async () => {
  stack = await startRelayStack();
  const make = (name: string, role: Agent['role'], numbers: Agent['numbers']) =>
    stack.relay.createAgent({ name, role, numbers });
  const admin = make('Admin', 'admin', 'all');
  const supervisor = make('Supervisora', 'supervisor', 'all');
  const agentA = make('Ana', 'agent', [NUMBER_A]);
  const agentB = make('Beto', 'agent', [NUMBER_B]);
  const revoked = make('Rita', 'agent', [NUMBER_A]);
  stack.relay.revokeAgent(revoked.agent.id);
  tokens = {
    admin: admin.token,
    supervisor: supervisor.token,
    agentA: agentA.token,
    agentB: agentB.token,
    revoked: revoked.token,
  };
  agents = { admin: admin.agent, supervisor: supervisor.agent, agentA: agentA.agent, agentB: agentB.agent };

  await stack.customerWrites(OLD, 'Hola, ¿siguen abiertos?', NUMBER_A);
  stack.clock.advance(1.5 * HOUR);
  await stack.customerWrites(EXPIRING, 'Quiero cambiar mi pedido', NUMBER_A);
  stack.clock.advance(HOUR);
  await stack.customerWrites(LATER, '¿Hacen envíos?', NUMBER_A);
  stack.clock.advance(22 * HOUR);
  await stack.customerWrites(RECENT, 'uno', NUMBER_A);
  await stack.customerWrites(RECENT, 'dos', NUMBER_A);
  stack.clock.advance(MINUTE);
  await stack.customerWrites(RECENT, 'tres', NUMBER_A);
  await stack.customerWrites(RECENT, 'cuatro', NUMBER_A);
  stack.clock.advance(MINUTE);
  await stack.customerWrites(RECENT, 'cinco', NUMBER_A);
  stack.clock.advance(15 * MINUTE);
  await stack.customerWrites(B_FIRST, 'Buenas tardes', NUMBER_B);
  await stack.customerWrites(B_SECOND, 'Buenas noches', NUMBER_B);
  // Now: 25 h after OLD wrote, 23.5 h after EXPIRING, 22.5 h after LATER, half an hour after RECENT.
  stack.clock.advance(13 * MINUTE);
});

afterAll(async () => {
  await stack.close();
});

describe('authentication', () => {
  it('refuses a missing, unknown or revoked token with 401 and a Bearer challenge', async () => {
    for (const token of [undefined, 'vnt_not-a-real-token', tokens.revoked]) {
      const answer = await call('/v1/conversations', token === undefined ? {} : { token });
      expect(answer.status).toBe(401);
      expect(answer.json.error?.code).toBe('UNAUTHORIZED');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('answers 405 with Allow for a known path and 404 for an unknown one, as JSON errors', async () => {
    const wrongMethod = await call('/v1/conversations', { token: tokens.admin, method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(wrongMethod.json.error?.code).toBe('METHOD_NOT_ALLOWED');
    const missing = await get('/v1/nothing-here', tokens.admin);
    expect(missing.status).toBe(404);
    expect(missing.json.error?.code).toBe('NOT_FOUND');
  });

  it('GET /v1/me answers the agent and the relay clock', async () => {
    const me = await get('/v1/me', tokens.agentA);
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ agent: agents.agentA, serverTime: stack.clock.now() });
  });
});

describe('GET /v1/conversations', () => {
  it('lists newest activity first, an agent only its numbers, a supervisor every number', async () => {
    const all = await conversationIds('');
    // B_FIRST and B_SECOND share their last activity: the id breaks the tie.
    expect(all).toEqual([B_SECOND_ID, B_FIRST_ID, RECENT_ID, LATER_ID, EXPIRING_ID, OLD_ID]);
    expect(await conversationIds('', tokens.admin)).toEqual(all);
    expect(await conversationIds('', tokens.agentA)).toEqual([RECENT_ID, LATER_ID, EXPIRING_ID, OLD_ID]);
    expect(await conversationIds('', tokens.agentB)).toEqual([B_SECOND_ID, B_FIRST_ID]);
    // Filtering by a number the agent is not a member of shows nothing, not the number's conversations.
    expect(await conversationIds(`?phoneNumberId=${NUMBER_B}`, tokens.agentA)).toEqual([]);
    expect(await conversationIds(`?phoneNumberId=${NUMBER_B}`)).toEqual([B_SECOND_ID, B_FIRST_ID]);
  });

  it('filters by the window on the relay clock: open, closed, expiring within the hour', async () => {
    expect(await conversationIds('?window=closed')).toEqual([OLD_ID]);
    expect(await conversationIds('?window=expiring')).toEqual([EXPIRING_ID]);
    expect(await conversationIds('?window=open')).toEqual([
      B_SECOND_ID,
      B_FIRST_ID,
      RECENT_ID,
      LATER_ID,
      EXPIRING_ID,
    ]);
    expect(await conversationIds('?window=open&phoneNumberId=' + NUMBER_A, tokens.agentA)).toEqual([
      RECENT_ID,
      LATER_ID,
      EXPIRING_ID,
    ]);
  });

  it('filters by status and assignee after commands change them', async () => {
    const mutation = (name: string) => `rest-filter-${name}`;
    expect(
      (await command(tokens.agentA, mutation('close'), { kind: 'close', conversationId: OLD_ID })).status,
    ).toBe(200);
    const take = await command(tokens.agentA, mutation('take'), {
      kind: 'assign',
      conversationId: EXPIRING_ID,
      agentId: agents.agentA.id,
    });
    expect(take.json).toEqual({ ok: true, messageId: null });

    expect(await conversationIds('?status=closed')).toEqual([OLD_ID]);
    expect(await conversationIds('?status=open')).toEqual([
      B_SECOND_ID,
      B_FIRST_ID,
      RECENT_ID,
      LATER_ID,
      EXPIRING_ID,
    ]);
    expect(await conversationIds(`?assigneeId=${agents.agentA.id}`)).toEqual([EXPIRING_ID]);
    expect(await conversationIds('?assigneeId=unassigned&status=open', tokens.agentA)).toEqual([
      RECENT_ID,
      LATER_ID,
    ]);

    const reopen = await command(tokens.agentA, mutation('reopen'), {
      kind: 'reopen',
      conversationId: OLD_ID,
    });
    expect(reopen.status).toBe(200);
    expect(await conversationIds('?status=closed')).toEqual([]);
  });

  it('pages with a cursor without skipping or repeating, across a tie in activity', async () => {
    const everything = await conversationIds('');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await get(
        `/v1/conversations?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        tokens.admin,
      );
      expect(answer.status).toBe(200);
      seen.push(...(answer.json.conversations as Conversation[]).map((c) => c.id));
      cursor = answer.json.nextCursor as string | null;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(everything);
  });

  it('refuses bad filters with 400 and says which', async () => {
    for (const query of [
      '?window=soon',
      '?limit=0',
      '?limit=500',
      '?cursor=bm90LWEtY3Vyc29y',
      '?asigneeId=x',
    ]) {
      const answer = await get(`/v1/conversations${query}`, tokens.admin);
      expect(answer.status, query).toBe(400);
      expect(answer.json.error?.code).toBe('INVALID_REQUEST');
      expect(answer.json.error?.message).toMatch(/query/);
    }
  });
});

describe('GET /v1/conversations/{id}/messages', () => {
  const path = (id: string, query = '') => `/v1/conversations/${encodeURIComponent(id)}/messages${query}`;
  const texts = (answer: Answer) => (answer.json.messages as Message[]).map((m) => m.text);

  it('pages back from the newest and forward again by timestamp, ties kept in arrival order', async () => {
    const newest = await get(path(RECENT_ID, '?limit=2'), tokens.agentA);
    expect(newest.status).toBe(200);
    expect(texts(newest)).toEqual(['cuatro', 'cinco']);
    expect(newest.json).toMatchObject({ hasOlder: true, hasNewer: false });

    const middle = await get(
      path(RECENT_ID, `?limit=2&before=${newest.json.olderCursor as string}`),
      tokens.agentA,
    );
    expect(texts(middle)).toEqual(['dos', 'tres']);
    expect(middle.json).toMatchObject({ hasOlder: true, hasNewer: true });

    const oldest = await get(
      path(RECENT_ID, `?limit=2&before=${middle.json.olderCursor as string}`),
      tokens.agentA,
    );
    expect(texts(oldest)).toEqual(['uno']);
    expect(oldest.json).toMatchObject({ hasOlder: false, hasNewer: true });

    const forward = await get(
      path(RECENT_ID, `?limit=3&after=${oldest.json.newerCursor as string}`),
      tokens.agentA,
    );
    expect(texts(forward)).toEqual(['dos', 'tres', 'cuatro']);
    expect(forward.json).toMatchObject({ hasOlder: true, hasNewer: true });
  });

  it('lets a poller keep its cursor until something new arrives', async () => {
    const newest = await get(path(B_FIRST_ID), tokens.agentB);
    const cursor = newest.json.newerCursor as string;
    const nothingYet = await get(path(B_FIRST_ID, `?after=${cursor}`), tokens.agentB);
    expect(nothingYet.json).toMatchObject({ messages: [], newerCursor: cursor, hasNewer: false });

    stack.clock.advance(1000);
    await stack.customerWrites(B_FIRST, '¿Me ayudan?', NUMBER_B);
    const fresh = await get(path(B_FIRST_ID, `?after=${cursor}`), tokens.agentB);
    expect(texts(fresh)).toEqual(['¿Me ayudan?']);
  });

  it("answers 404 for a conversation of another agent's number, as for one that does not exist", async () => {
    const other = await get(path(RECENT_ID), tokens.agentB);
    const missing = await get(path(conv(NUMBER_A, '5210000000000')), tokens.agentB);
    expect(other.status).toBe(404);
    expect(other.json).toEqual(missing.json);
    expect(other.json.error?.code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('refuses before and after together', async () => {
    const newest = await get(path(RECENT_ID), tokens.agentA);
    const cursor = newest.json.olderCursor as string;
    const both = await get(path(RECENT_ID, `?before=${cursor}&after=${cursor}`), tokens.agentA);
    expect(both.status).toBe(400);
    expect(both.json.error?.message).toContain('not both');
  });
});

describe('GET /v1/templates', () => {
  beforeAll(async () => {
    const templateChange = (field: string, value: Record<string, unknown>) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: WABA_ID, time: Math.floor(stack.clock.now() / 1000), changes: [{ field, value }] }],
    });
    const status = (name: string, language: string, event: string) =>
      templateChange('message_template_status_update', {
        event,
        message_template_id: `${name}-${language}`.length,
        message_template_name: name,
        message_template_language: language,
        reason: 'NONE',
      });
    const category = (name: string, language: string, newCategory: string) =>
      templateChange('template_category_update', {
        message_template_id: `${name}-${language}`.length,
        message_template_name: name,
        message_template_language: language,
        previous_category: 'UTILITY',
        new_category: newCategory,
      });
    for (const body of [
      status('rest_pedido', 'es_MX', 'APPROVED'),
      category('rest_pedido', 'es_MX', 'UTILITY'),
      status('rest_pedido', 'en_US', 'PAUSED'),
      status('rest_oferta', 'es_MX', 'APPROVED'),
      category('rest_oferta', 'es_MX', 'MARKETING'),
    ]) {
      expect((await stack.simulator.sendWebhook(body)).status).toBe(200);
    }
  });

  const mine = (answer: Answer) =>
    (answer.json.templates as Template[]).filter((t) => t.name.startsWith('rest_')).map((t) => t.key);

  it('lists templates to every role, filtered by status, category and language', async () => {
    const all = await get('/v1/templates', tokens.agentB);
    expect(all.status).toBe(200);
    expect(mine(all).sort()).toEqual(['rest_oferta:es_MX', 'rest_pedido:en_US', 'rest_pedido:es_MX']);

    const approved = await get('/v1/templates?status=approved', tokens.agentA);
    expect((approved.json.templates as Template[]).every((t) => t.status === 'APPROVED')).toBe(true);
    expect(mine(approved).sort()).toEqual(['rest_oferta:es_MX', 'rest_pedido:es_MX']);

    const marketing = await get('/v1/templates?category=MARKETING&language=es_MX', tokens.agentA);
    expect(mine(marketing)).toEqual(['rest_oferta:es_MX']);
    const english = await get('/v1/templates?language=en_US', tokens.agentA);
    expect(mine(english)).toEqual(['rest_pedido:en_US']);
  });
});

describe('GET /v1/phone-numbers and /v1/alerts', () => {
  it('shows an agent its numbers only, and alerts to admins only', async () => {
    const ids = async (token: string) =>
      ((await get('/v1/phone-numbers', token)).json.phoneNumbers as { id: string }[]).map((n) => n.id);
    expect(await ids(tokens.agentA)).toEqual([NUMBER_A]);
    expect(await ids(tokens.supervisor)).toEqual([NUMBER_A, NUMBER_B]);

    expect((await stack.simulator.sendWebhook({ raw: '{"object":"something_else"}' })).status).toBe(200);
    const alerts = await get('/v1/alerts', tokens.admin);
    expect(alerts.status).toBe(200);
    expect((alerts.json.alerts as { kind: string }[]).map((a) => a.kind)).toContain('unrecognized_webhook');
    expect((await get('/v1/alerts', tokens.supervisor)).status).toBe(403);
    expect((await get('/v1/alerts', tokens.agentA)).json.error?.code).toBe('FORBIDDEN');
  });
});

describe('GET /v1/agents', () => {
  it('is for supervisors and admins, and shows who is connected, since when and on how many consoles', async () => {
    expect((await get('/v1/agents', tokens.agentA)).status).toBe(403);

    const connectedAt = stack.clock.now();
    const consoles = [
      await RelaySyncClient.connect(stack.relay.url, tokens.agentA, { clientId: 'laptop' }),
      await RelaySyncClient.connect(stack.relay.url, tokens.agentA, { clientId: 'desktop' }),
      await RelaySyncClient.connect(stack.relay.url, tokens.supervisor),
    ];
    stack.clock.advance(5000);
    const answer = await get('/v1/agents', tokens.supervisor);
    expect(answer.status).toBe(200);
    const team = answer.json.agents as (Agent & { presence: unknown })[];
    expect(team).toEqual([
      { ...agents.admin, presence: { online: false, since: null, consoles: 0 } },
      { ...agents.supervisor, presence: { online: true, since: connectedAt, consoles: 1 } },
      { ...agents.agentA, presence: { online: true, since: connectedAt, consoles: 2 } },
      { ...agents.agentB, presence: { online: false, since: null, consoles: 0 } },
    ]);

    for (const client of consoles) client.close();
    await Promise.all(consoles.map((client) => client.closed));
    await waitFor('presence to clear', async () => {
      const now = (await get('/v1/agents', tokens.admin)).json.agents as { presence: { online: boolean } }[];
      return now.every((agent) => !agent.presence.online);
    });
  });
});

describe('POST /v1/commands', () => {
  it('sends a text once, answers every repeat the same, and reaches Meta once', async () => {
    const sendsBefore = stack.simulator.sends().length;
    const body = { kind: 'send_text', conversationId: RECENT_ID, text: 'Con gusto le ayudo' };
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await command(tokens.agentA, 'rest-send-once', body));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ ok: true, messageId: 'rest-send-once' });
    }
    // The same mutation over the sync stream: the same record, the same answer.
    const syncConsole = await RelaySyncClient.connect(stack.relay.url, tokens.agentA);
    const overSync = await syncConsole.command('rest-send-once', RECENT_ID, 'Con gusto le ayudo');
    expect(overSync.result).toEqual({ ok: true, messageId: 'rest-send-once' });
    syncConsole.close();

    const sent = await waitFor('the send to be answered by Meta', async () => {
      const page = await get(`/v1/conversations/${encodeURIComponent(RECENT_ID)}/messages`, tokens.agentA);
      const message = (page.json.messages as Message[]).find((m) => m.id === 'rest-send-once');
      return message?.waMessageId ? message : null;
    });
    expect(sent).toMatchObject({ direction: 'out', text: 'Con gusto le ayudo', authorId: agents.agentA.id });
    expect(stack.simulator.sends().slice(sendsBefore)).toHaveLength(1);
  });

  it('refuses with the reason and a 4xx, and answers a repeat with the same refusal', async () => {
    const windowClosed = { kind: 'send_text', conversationId: OLD_ID, text: '¿Sigue ahí?' };
    const first = await command(tokens.agentA, 'rest-window-closed', windowClosed);
    expect(first.status).toBe(422);
    expect(first.json).toMatchObject({ ok: false, error: { code: 'WINDOW_CLOSED' } });
    expect(first.json.error?.message).toMatch(/template/);
    expect(await command(tokens.agentA, 'rest-window-closed', windowClosed)).toEqual({
      ...first,
      headers: expect.anything() as unknown,
    });

    const notMember = await command(tokens.agentB, 'rest-not-member', {
      kind: 'close',
      conversationId: RECENT_ID,
    });
    expect(notMember.status).toBe(404);
    expect(notMember.json).toMatchObject({ ok: false, error: { code: 'CONVERSATION_NOT_FOUND' } });

    const role = await command(tokens.agentA, 'rest-role', {
      kind: 'assign',
      conversationId: RECENT_ID,
      agentId: agents.supervisor.id,
    });
    expect(role.status).toBe(403);
    expect(role.json).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const taken = await command(tokens.agentB, 'rest-role', { kind: 'close', conversationId: B_FIRST_ID });
    expect(taken.status).toBe(409);
    expect(taken.json).toMatchObject({ ok: false, error: { code: 'MUTATION_ID_TAKEN' } });
  });

  it('refuses bodies that are not a command: 400, 413, 415', async () => {
    const invalid = [
      { mutationId: 'rest-bad-kind', command: { kind: 'delete_everything' } },
      { mutationId: 'short', command: { kind: 'close', conversationId: RECENT_ID } },
      { mutationId: 'rest-no-text', command: { kind: 'send_text', conversationId: RECENT_ID, text: '' } },
      { mutationId: 'rest-extra', command: { kind: 'close', conversationId: RECENT_ID }, extra: true },
    ];
    for (const body of invalid) {
      const answer = await call('/v1/commands', { token: tokens.agentA, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error?.code).toBe('INVALID_REQUEST');
    }
    const notJson = await call('/v1/commands', { token: tokens.agentA, body: '{"mutationId": ' });
    expect(notJson.json.error?.code).toBe('INVALID_JSON');
    const plain = await call('/v1/commands', {
      token: tokens.agentA,
      body: 'close it',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const huge = await call('/v1/commands', {
      token: tokens.agentA,
      body: {
        mutationId: 'rest-huge',
        command: { kind: 'add_note', conversationId: RECENT_ID, text: 'x'.repeat(70_000) },
      },
    });
    expect(huge.status).toBe(413);
    expect(huge.json.error?.code).toBe('PAYLOAD_TOO_LARGE');
    // Nothing of these was recorded: the ids are still free.
    const rows = stack.query<{ n: number }>(
      "SELECT count(*) AS n FROM mutations WHERE mutation_id IN ('rest-bad-kind', 'rest-no-text', 'rest-extra', 'rest-huge')",
    );
    expect(rows[0]!.n).toBe(0);
  });
});

describe('GET /healthz and /readyz', () => {
  it('is ready while the database takes writes, and says why not while another writer holds it', async () => {
    expect(await call('/healthz')).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await call('/readyz')).toMatchObject({ status: 200, json: { status: 'ready' } });

    const other = new Database(stack.config.dbPath);
    try {
      other.exec('BEGIN IMMEDIATE');
      const busy = await call('/readyz');
      expect(busy.status).toBe(503);
      expect(busy.json.error?.code).toBe('DATABASE_UNAVAILABLE');
      expect((await call('/healthz')).status).toBe(200);
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect((await call('/readyz')).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------
// The OpenAPI document against the live routes.

type JsonSchema = Record<string, unknown>;
interface Operation {
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, { content?: { 'application/json': { schema: JsonSchema } } }>;
}

describe('GET /v1/openapi.json', () => {
  let document: ReturnType<typeof buildOpenApiDocument>;
  beforeAll(async () => {
    const answer = await call('/v1/openapi.json');
    expect(answer.status).toBe(200);
    document = answer.json as unknown as typeof document;
  });

  const operationOf = (path: string, method: string) => document.paths[path]?.[method] as Operation;

  /** The schema with every `$ref` to a component replaced by the component (ours have no cycles). */
  const resolved = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(resolved);
    if (schema === null || typeof schema !== 'object') return schema;
    const ref = (schema as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') return resolved(document.components.schemas[ref.split('/').at(-1)!]);
    return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolved(value)]));
  };
  const ajv = new Ajv2020({ allErrors: true, formats: { uri: (text: string) => URL.canParse(text) } });
  const validator = (schema: unknown) => {
    const validate = ajv.compile(resolved(schema) as JsonSchema);
    return { safeParse: (value: unknown) => ({ success: validate(value) }) };
  };

  it('is the generated document, and docs/openapi.json is up to date (npm run openapi)', () => {
    const generated = buildOpenApiDocument();
    expect(document).toEqual(generated);
    const file = readFileSync(join(import.meta.dirname, '../../docs/openapi.json'), 'utf8');
    expect(JSON.parse(file)).toEqual(generated);
    expect(document.openapi).toBe('3.1.0');
  });

  it('covers every route the relay serves, and every documented route is served', async () => {
    const declared = Object.values(apiRoutes as Record<string, RouteSpec>)
      .map((route) => `${route.method} ${route.path}`)
      .sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(declared);
    expect(documented).toEqual(
      [
        'GET /healthz',
        'GET /readyz',
        'GET /v1/agents',
        'GET /v1/alerts',
        'GET /v1/conversations',
        'GET /v1/conversations/{conversationId}/messages',
        'GET /v1/me',
        'GET /v1/openapi.json',
        'GET /v1/phone-numbers',
        'GET /v1/templates',
        'POST /v1/commands',
      ].sort(),
    );
    for (const entry of documented) {
      const [method, path] = entry.split(' ') as [string, string];
      const answer = await call(path.replace('{conversationId}', encodeURIComponent(RECENT_ID)), {
        token: tokens.admin,
        method,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(answer.json.error?.code, entry).not.toBe('NOT_FOUND');
      expect(answer.status, entry).not.toBe(405);
    }
  });

  it('its command body schema accepts every body the route accepts, and rejects what it rejects', async () => {
    const schema = validator(
      operationOf('/v1/commands', 'post').requestBody?.content['application/json'].schema,
    );
    const c = (command: Record<string, unknown>, mutationId = 'rest-doc-0001') => ({ mutationId, command });
    const bodies: unknown[] = [
      c({ kind: 'close', conversationId: OLD_ID }),
      c({ kind: 'reopen', conversationId: OLD_ID }),
      c({ kind: 'add_note', conversationId: RECENT_ID, text: 'Cliente frecuente' }),
      c({ kind: 'send_reaction', conversationId: RECENT_ID, messageId: 'wamid.nope', emoji: '👍' }),
      c({ kind: 'quick_reply_create', shortcut: 'gracias-1', text: 'Gracias por escribirnos' }),
      c({ kind: 'sync_templates' }),
      c({ kind: 'send_template', conversationId: OLD_ID, name: 'rest_pedido', language: 'es_MX' }),
      c({
        kind: 'send_template',
        conversationId: OLD_ID,
        name: 'rest_pedido',
        language: 'es_MX',
        parameters: { header: { type: 'image', link: 'https://example.com/a.png' }, body: { '1': 'x' } },
      }),
      c({ kind: 'send_text', conversationId: RECENT_ID, text: 'hola', previewUrl: true, replyTo: 'wamid.x' }),
      c({ kind: 'close' }),
      c({ kind: 'send_text', conversationId: RECENT_ID, text: 'hola', previewUrl: 'yes' }),
      c({ kind: 'quick_reply_create', shortcut: 'two words', text: 'x' }),
      c({ kind: 'send_reaction', conversationId: RECENT_ID, messageId: 'x', emoji: 'x'.repeat(17) }),
      c({
        kind: 'send_template',
        conversationId: OLD_ID,
        name: 'n',
        language: 'es',
        parameters: { header: { type: 'gif' } },
      }),
      c({ kind: 'unknown_kind' }),
      c({ kind: 'close', conversationId: OLD_ID }, 'bad id with spaces'),
      { command: { kind: 'close', conversationId: OLD_ID } },
      { ...c({ kind: 'close', conversationId: OLD_ID }), more: 1 },
      [],
      'close',
    ];
    let accepted = 0;
    for (const [index, body] of bodies.entries()) {
      const withFreshId =
        typeof body === 'object' &&
        body !== null &&
        'mutationId' in body &&
        body.mutationId === 'rest-doc-0001'
          ? { ...body, mutationId: `rest-doc-${1000 + index}` }
          : body;
      const answer = await call('/v1/commands', { token: tokens.admin, body: JSON.stringify(withFreshId) });
      const routeAccepts = answer.json.error?.code !== 'INVALID_REQUEST';
      const documentAccepts = schema.safeParse(withFreshId).success;
      expect(documentAccepts, JSON.stringify(withFreshId)).toBe(routeAccepts);
      if (routeAccepts) accepted += 1;
    }
    expect(accepted).toBe(9);
  });

  it('its query parameters accept what the routes accept', async () => {
    const cursor = (await get('/v1/conversations?limit=1', tokens.admin)).json.nextCursor as string;
    const cases: [string, string][] = [
      ['/v1/conversations', '?status=open&window=expiring&limit=10'],
      ['/v1/conversations', `?assigneeId=unassigned&phoneNumberId=${NUMBER_A}&cursor=${cursor}`],
      ['/v1/conversations', '?status=pending'],
      ['/v1/conversations', '?limit=1000'],
      ['/v1/conversations', '?limit=2.5'],
      ['/v1/conversations', '?colour=blue'],
      ['/v1/templates', '?status=APPROVED&category=UTILITY&language=es_MX'],
      ['/v1/templates', '?status='],
      ['/v1/alerts', '?limit=5'],
      ['/v1/alerts', '?limit=-1'],
    ];
    for (const [path, query] of cases) {
      const operation = operationOf(path, 'get');
      const params = operation.parameters.filter((p) => p.in === 'query');
      const values = Object.fromEntries(new URLSearchParams(query));
      // As a client library would serialise typed values: integers travel as text.
      const typed = Object.fromEntries(
        Object.entries(values).map(([key, value]) => {
          const type = params.find((p) => p.name === key)?.schema.type;
          return [key, type === 'integer' && value !== '' ? Number(value) : value];
        }),
      );
      const schema = validator({
        type: 'object',
        properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
        required: params.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false,
      });
      const answer = await get(`${path}${query}`, tokens.admin);
      expect(schema.safeParse(typed).success, `${path}${query}`).toBe(answer.status === 200);
    }
  });

  it('describes the answers the routes really give', async () => {
    const samples: [string, string, number, string][] = [
      ['/v1/conversations', '/v1/conversations?limit=3', 200, tokens.admin],
      [
        '/v1/conversations/{conversationId}/messages',
        `/v1/conversations/${encodeURIComponent(RECENT_ID)}/messages`,
        200,
        tokens.agentA,
      ],
      [
        '/v1/conversations/{conversationId}/messages',
        `/v1/conversations/${encodeURIComponent(RECENT_ID)}/messages`,
        404,
        tokens.agentB,
      ],
      ['/v1/templates', '/v1/templates', 200, tokens.agentA],
      ['/v1/agents', '/v1/agents', 200, tokens.admin],
      ['/v1/agents', '/v1/agents', 403, tokens.agentA],
      ['/v1/me', '/v1/me', 200, tokens.agentB],
      ['/v1/phone-numbers', '/v1/phone-numbers', 200, tokens.agentB],
      ['/v1/alerts', '/v1/alerts', 200, tokens.admin],
      ['/readyz', '/readyz', 200, tokens.admin],
      ['/healthz', '/healthz', 200, tokens.admin],
    ];
    for (const [documented, url, status, token] of samples) {
      const answer = await get(url, token);
      expect(answer.status, url).toBe(status);
      const schema = operationOf(documented, 'get').responses[String(status)]?.content?.['application/json']
        .schema;
      expect(validator(schema).safeParse(answer.json).success, `${url} ${status}`).toBe(true);
    }
    const refusal = await command(tokens.agentA, 'rest-doc-refusal', {
      kind: 'send_text',
      conversationId: OLD_ID,
      text: 'x',
    });
    const refused = operationOf('/v1/commands', 'post').responses['4XX']?.content?.['application/json']
      .schema;
    expect(validator(refused).safeParse(refusal.json).success).toBe(true);
  });
});
