// `npm run relay` as a real child process: configuration errors, usage errors, and the agent commands
// (add, list, numbers, revoke) against the database a served relay uses.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { relayCliEnv, runRelayCli, startRelayCli } from '../helpers/relay-cli-process.ts';

let dir: string;
let children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-relay-cli-'));
  children = [];
});
afterEach(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const validEnv = () => relayCliEnv(join(dir, 'relay.sqlite'));
const run = (...args: string[]) => runRelayCli(args, validEnv());

async function addAgent(...args: string[]): Promise<{ id: string; token: string }> {
  const added = await run('agent', 'add', ...args);
  expect(added).toMatchObject({ code: 0, stderr: '' });
  return {
    id: /\((agt_[0-9a-f-]+)\)/.exec(added.stdout)![1]!,
    token: /^(vnt_[A-Za-z0-9_-]{43})$/m.exec(added.stdout)![1]!,
  };
}

interface ListedAgent {
  id: string;
  name: string;
  role: string;
  numbers: string[] | 'all';
  epoch: number;
  revokedAt: string | null;
}

async function listed(): Promise<ListedAgent[]> {
  const list = await run('agent', 'list', '--json');
  expect(list.code).toBe(0);
  return JSON.parse(list.stdout) as ListedAgent[];
}

describe('relay CLI', () => {
  it('exits 78 listing every configuration problem', async () => {
    const { code, stderr } = await runRelayCli(['serve'], {
      VENTANA_PORT: 'eighty',
      VENTANA_WABA_ID: '310000000000001',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('VENTANA_PORT="eighty" is not a whole number');
    for (const key of ['appSecret', 'verifyToken', 'accessToken'])
      expect(stderr).toContain(`${key}: required`);
  });

  it('exits 2 with the usage on bad arguments, before looking at the configuration', async () => {
    const cases: [string[], RegExp][] = [
      [['agent', 'add', '--name', 'Ana', '--role', 'boss', '--numbers', 'all'], /--role: Invalid option/],
      [['agent', 'add', '--name', 'Ana', '--role', 'agent'], /--numbers is required/],
      [['agent', 'add', '--name', 'Ana', '--role', 'agent', '--numbers', ' , '], /--numbers: at least one/],
      [['agent', 'remove'], /unknown command "agent remove"/],
      [['--port', '1'], /Unknown option '--port'/],
      [['serve', '--name', 'Ana'], /"serve" does not take --name/],
      [['agent', 'revoke'], /"agent revoke" needs <agent-id>/],
      [['agent', 'revoke', 'agt_1', 'agt_2'], /"agent revoke" needs <agent-id>/],
      [['agent', 'list', 'everyone'], /"agent list" takes no operands/],
      [['agent', 'list', '--role', 'admin'], /"agent list" does not take --role/],
      [['agent', 'numbers', 'agt_1'], /--numbers, --role or both are required/],
      [['agent', 'numbers', 'agt_1', '--role', 'owner'], /--role: Invalid option/],
    ];
    // No configuration at all: the usage error still comes first.
    const results = await Promise.all(cases.map(([args]) => runRelayCli(args, {})));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('Usage:');
    });
    const help = await runRelayCli(['agent', 'list', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('agent numbers <agent-id>');
  });

  it('adds an agent whose token the served relay accepts until it is revoked, and stops on SIGTERM', async () => {
    const { id, token } = await addAgent(
      '--name',
      'Ana López',
      '--role',
      'agent',
      '--numbers',
      '420000000000001, 420000000000002',
    );

    const relay = startRelayCli(['serve'], validEnv());
    children.push(relay);
    const lines = createInterface({ input: relay.stdout! });
    let url: string | undefined;
    for await (const line of lines) {
      url = /listening at (http:\/\/\S+)/.exec(line)?.[1];
      if (url !== undefined) break;
    }
    const me = () => fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    const accepted = await me();
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({
      agent: { id, name: 'Ana López', role: 'agent', numbers: ['420000000000001', '420000000000002'] },
    });

    // Revoked by another process while the relay runs: refused from the next request on.
    expect((await run('agent', 'revoke', id)).code).toBe(0);
    expect((await me()).status).toBe(401);

    relay.kill('SIGTERM');
    const [code] = (await once(relay, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('lists agents, changes their numbers and role, and revokes them', async () => {
    expect((await run('agent', 'list')).stdout).toContain('No agents yet');
    const ana = await addAgent('--name', 'Ana', '--role', 'agent', '--numbers', '111,222');
    const beto = await addAgent('--name', 'Beto', '--role', 'admin', '--numbers', 'all');

    const moved = await run('agent', 'numbers', ana.id, '--numbers', '333');
    expect(moved).toMatchObject({ code: 0, stderr: '' });
    expect(moved.stdout).toContain(`Agent "Ana" (${ana.id}) is now an agent for number 333.`);
    const same = await run('agent', 'numbers', ana.id, '--numbers', '333', '--role', 'agent');
    expect(same.stdout).toContain('nothing changed');
    const promoted = await run('agent', 'numbers', ana.id, '--role', 'supervisor');
    expect(promoted.stdout).toContain('is now a supervisor for number 333');

    const revoked = await run('agent', 'revoke', beto.id);
    expect(revoked.stdout).toContain(`Revoked agent "Beto" (${beto.id})`);
    const again = await run('agent', 'revoke', beto.id);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was already revoked');

    expect(await listed()).toEqual([
      expect.objectContaining({
        id: ana.id,
        role: 'supervisor',
        numbers: ['333'],
        epoch: 2,
        revokedAt: null,
      }),
      expect.objectContaining({
        id: beto.id,
        role: 'admin',
        numbers: 'all',
        epoch: 0,
        revokedAt: expect.any(String) as unknown,
      }),
    ]);
  });

  it('exits 1 naming the problem for an unknown or revoked agent, and changes nothing', async () => {
    const ana = await addAgent('--name', 'Ana', '--role', 'agent', '--numbers', '111');
    const unknown = await run('agent', 'revoke', 'agt_nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('AGENT_NOT_FOUND: No agent has the id "agt_nobody"');
    expect((await run('agent', 'numbers', 'agt_nobody', '--numbers', 'all')).stderr).toContain(
      'AGENT_NOT_FOUND',
    );

    expect((await run('agent', 'revoke', ana.id)).code).toBe(0);
    const change = await run('agent', 'numbers', ana.id, '--numbers', 'all');
    expect(change.code).toBe(1);
    expect(change.stderr).toContain('AGENT_REVOKED');
    expect(await listed()).toEqual([expect.objectContaining({ id: ana.id, numbers: ['111'], epoch: 0 })]);
  });
});
