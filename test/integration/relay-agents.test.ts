// Agents while the relay runs: the `agent` CLI (a separate process writing the relay's database)
// revokes a token or changes an agent's numbers and role, and the running relay applies it to the
// consoles already connected: revoked ones are closed, the others rebuild from a snapshot of what
// the agent may see now. Consoles are raw `ws` clients speaking the protocol.
import { once } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SYNC_PATH, closeCodes } from '../../src/shared/protocol.ts';
import { relayCliEnv, runRelayCli } from '../helpers/relay-cli-process.ts';
import { NUMBER_A, NUMBER_B, startRelayStack, type RelayStack } from '../helpers/relay-stack.ts';
import { RelaySyncClient, mirrorState } from '../helpers/relay-sync-client.ts';

const CUSTOMER_OF_A = '5215511110000';
const CUSTOMER_OF_B = '5215522220000';

let stack: RelayStack;
let clients: RelaySyncClient[] = [];

beforeEach(async () => {
  stack = await startRelayStack();
  clients = [];
});
afterEach(async () => {
  for (const client of clients) client.close();
  await stack.close();
});

async function connect(token: string, hello: Parameters<typeof RelaySyncClient.connect>[2] = {}) {
  const client = await RelaySyncClient.connect(stack.relay.url, token, hello);
  clients.push(client);
  return client;
}

const cli = (...args: string[]) => runRelayCli(args, relayCliEnv(stack.config.dbPath));

const headSeq = () => stack.query<{ head: number }>('SELECT max(seq) AS head FROM events')[0]!.head;

/** Both numbers have a customer who wrote: one conversation each. */
async function customersWriteToBothNumbers(): Promise<void> {
  await stack.customerWrites(CUSTOMER_OF_A, 'Hola desde A', NUMBER_A);
  await stack.customerWrites(CUSTOMER_OF_B, 'Hola desde B', NUMBER_B);
}

const numbersOf = (client: RelaySyncClient) => ({
  conversations: [...client.mirror.conversations.values()].map((c) => c.phoneNumberId).sort(),
  messages: [...new Set([...client.mirror.messages.values()].map((m) => m.phoneNumberId))].sort(),
});

describe('agent revoke', () => {
  it('closes the live console with the revoked code, then refuses the token everywhere', async () => {
    const { agent, token } = stack.relay.createAgent({ name: 'Ana', role: 'agent', numbers: [NUMBER_A] });
    const { token: otherToken } = stack.relay.createAgent({
      name: 'Beto',
      role: 'supervisor',
      numbers: 'all',
    });
    const revokedConsole = await connect(token);
    const otherConsole = await connect(otherToken);

    const revoke = await cli('agent', 'revoke', agent.id);
    expect(revoke).toMatchObject({ code: 0, stderr: '' });
    expect(revoke.stdout).toContain(`Revoked agent "Ana" (${agent.id})`);
    expect((await revokedConsole.closed).code).toBe(closeCodes.revoked);

    const upgrade = new WebSocket(`${stack.relay.url.replace(/^http/, 'ws')}${SYNC_PATH}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const [request, response] = (await once(upgrade, 'unexpected-response')) as [
      ClientRequest,
      IncomingMessage,
    ];
    expect(response.statusCode).toBe(401);
    request.destroy();
    const me = await fetch(`${stack.relay.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);

    // Nobody else is disturbed.
    await stack.customerWrites(CUSTOMER_OF_A, 'Sigo aquí');
    await otherConsole.waitForCursor(headSeq());
    expect(otherConsole.frameTypes()).not.toContain('reset:visibility');

    const table = await cli('agent', 'list');
    expect(table.code).toBe(0);
    const rows = table.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    const minute = expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/) as unknown;
    expect(rows).toEqual([
      ['ID', 'NAME', 'ROLE', 'NUMBERS', 'CREATED (UTC)', 'REVOKED (UTC)'],
      [agent.id, 'Ana', 'agent', NUMBER_A, minute, minute],
      [expect.stringMatching(/^agt_/) as unknown, 'Beto', 'supervisor', 'all', minute, '-'],
    ]);

    const listed = await cli('agent', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: agent.id, name: 'Ana', revokedAt: expect.any(String) as unknown }),
      expect.objectContaining({ name: 'Beto', role: 'supervisor', numbers: 'all', revokedAt: null }),
    ]);
  });
});

describe('agent numbers', () => {
  it('rebuilds a live console for its new numbers, then streams only their events', async () => {
    await customersWriteToBothNumbers();
    const { agent, token } = stack.relay.createAgent({
      name: 'Ana',
      role: 'agent',
      numbers: [NUMBER_A, NUMBER_B],
    });
    const { token: supervisorToken } = stack.relay.createAgent({
      name: 'Supervisora',
      role: 'supervisor',
      numbers: 'all',
    });
    const live = await connect(token);
    const supervisor = await connect(supervisorToken);
    expect(numbersOf(live).conversations).toEqual([NUMBER_A, NUMBER_B]);
    const before = live.frames.length;

    const change = await cli('agent', 'numbers', agent.id, '--numbers', NUMBER_A);
    expect(change).toMatchObject({ code: 0, stderr: '' });
    expect(change.stdout).toContain(`is now an agent for number ${NUMBER_A}`);

    // The relay notices the other process's write, announces the agent anew and rebuilds.
    const done = await live.waitFor('snapshot_done', () => true, before);
    expect(done.cursor).toBe(headSeq());
    await live.waitFor('caught_up', () => true, before);
    expect(live.frameTypes(before)).toEqual([
      'welcome',
      'reset:visibility',
      'snapshot',
      'snapshot_done',
      'caught_up',
    ]);
    expect(live.frames[before]).toMatchObject({
      type: 'welcome',
      epoch: 1,
      agent: { id: agent.id, numbers: [NUMBER_A] },
    });
    expect(numbersOf(live)).toEqual({ conversations: [NUMBER_A], messages: [NUMBER_A] });

    // From now on only number A's events reach it, while its cursor covers everything.
    const afterRebuild = live.frames.length;
    await stack.customerWrites(CUSTOMER_OF_B, 'Otra vez B', NUMBER_B);
    await stack.customerWrites(CUSTOMER_OF_A, 'Otra vez A', NUMBER_A);
    await live.waitForCursor(headSeq());
    const fresh = live.events(afterRebuild);
    expect(fresh.map((event) => event.phoneNumberId)).not.toContain(NUMBER_B);
    expect(fresh).toContainEqual(
      expect.objectContaining({
        type: 'message.upserted',
        message: expect.objectContaining({ text: 'Otra vez A' }) as unknown,
      }),
    );
    expect(numbersOf(live)).toEqual({ conversations: [NUMBER_A], messages: [NUMBER_A] });
    // Another agent's change leaves other consoles alone.
    expect(supervisor.frameTypes()).not.toContain('reset:visibility');

    // A role that sees every number brings number B back, by the same rebuild.
    const promoted = await cli('agent', 'numbers', agent.id, '--role', 'supervisor');
    expect(promoted.code).toBe(0);
    const beforePromotion = live.frames.length;
    await live.waitFor('snapshot_done', () => true, beforePromotion);
    expect(live.frames[beforePromotion]).toMatchObject({
      type: 'welcome',
      epoch: 2,
      agent: { role: 'supervisor' },
    });
    expect(numbersOf(live)).toEqual({ conversations: [NUMBER_A, NUMBER_B], messages: [NUMBER_A, NUMBER_B] });
    await supervisor.waitForCursor(headSeq());
    expect(mirrorState(live.mirror)).toEqual(mirrorState(supervisor.mirror));
  });

  it('rebuilds a console that was offline during the change when it comes back with the old epoch', async () => {
    await customersWriteToBothNumbers();
    const { agent, token } = stack.relay.createAgent({
      name: 'Ana',
      role: 'agent',
      numbers: [NUMBER_A, NUMBER_B],
    });
    const first = await connect(token);
    expect(first.frames[0]).toMatchObject({ type: 'welcome', epoch: 0 });
    first.close();
    await first.closed;

    expect(stack.relay.changeAgentAccess(agent.id, { numbers: [NUMBER_B] })).toMatchObject({ epoch: 1 });
    await stack.customerWrites(CUSTOMER_OF_B, 'Mientras tanto', NUMBER_B);

    // Same cache, old epoch: rebuilt for number B only.
    const back = await RelaySyncClient.connect(
      stack.relay.url,
      token,
      { cursor: first.mirror.cursor, epoch: 0 },
      first.mirror,
    );
    clients.push(back);
    expect(back.frameTypes()).toEqual([
      'welcome',
      'reset:visibility',
      'snapshot',
      'snapshot_done',
      'caught_up',
    ]);
    expect(back.frames[0]).toMatchObject({ type: 'welcome', epoch: 1, agent: { numbers: [NUMBER_B] } });
    expect(numbersOf(back)).toEqual({ conversations: [NUMBER_B], messages: [NUMBER_B] });
    expect(back.mirror.cursor).toBe(headSeq());

    // With the current epoch it simply resumes; an empty console has nothing to rebuild.
    const current = await connect(token, { cursor: back.mirror.cursor, epoch: 1 });
    expect(current.frameTypes()).toEqual(['welcome', 'caught_up']);
    const empty = await connect(token, { cursor: 0, epoch: 0 });
    expect(empty.frameTypes()).not.toContain('reset:visibility');
    expect(numbersOf(empty)).toEqual({ conversations: [NUMBER_B], messages: [NUMBER_B] });
  });
});
