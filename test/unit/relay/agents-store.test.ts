// Agents in a real SQLite file: creation, token lookup, revocation, visibility changes and their
// epoch, and how the relay hears of changes another connection (the CLI) commits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/shared/clock.ts';
import { createAgentStore, type AgentStore } from '../../../src/relay/agents/agent-store.ts';
import { watchExternalCommits } from '../../../src/relay/agents/agent-watch.ts';
import {
  authenticateAgent,
  changeAgentAccess,
  createAgent,
  revokeAgent,
} from '../../../src/relay/agents/agents.ts';
import { openSqliteRelayStore, type SqliteRelayStore } from '../../../src/relay/store/sqlite-relay-store.ts';

let dir: string;
let store: SqliteRelayStore;
let agents: AgentStore;
const clock = new ManualClock(Date.UTC(2026, 10, 21, 12, 0, 0));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-agents-'));
  store = openSqliteRelayStore(join(dir, 'relay.sqlite'));
  agents = createAgentStore(store.database);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const bearer = (token: string) => `Bearer ${token}`;

describe('agents', () => {
  it('recognises a token until it is revoked; revoking twice keeps the first time', () => {
    const { agent, token } = createAgent(agents, clock, {
      name: ' Ana ',
      role: 'agent',
      numbers: ['1', '2', '1'],
    });
    expect(agent).toMatchObject({ name: 'Ana', numbers: ['1', '2'] });
    expect(authenticateAgent(agents, bearer(token))).toMatchObject({ agent, epoch: 0, revokedAt: null });
    expect(authenticateAgent(agents, bearer(`${token}x`))).toBeNull();
    expect(authenticateAgent(agents, token)).toBeNull();

    const revokedAt = clock.now() + 1000;
    clock.set(revokedAt);
    expect(revokeAgent(agents, clock, agent.id).revokedAt).toBe(revokedAt);
    expect(authenticateAgent(agents, bearer(token))).toBeNull();
    clock.advance(1000);
    expect(revokeAgent(agents, clock, agent.id).revokedAt).toBe(revokedAt);
    expect(agents.list().map((record) => record.agent.id)).toEqual([agent.id]);
  });

  it('bumps the epoch only when what the agent sees changes', () => {
    const { agent } = createAgent(agents, clock, { name: 'Ana', role: 'agent', numbers: ['1', '2'] });
    expect(changeAgentAccess(agents, clock, agent.id, { numbers: ['2', '1'] }).epoch).toBe(0);
    expect(changeAgentAccess(agents, clock, agent.id, { role: 'agent' }).epoch).toBe(0);
    const moved = changeAgentAccess(agents, clock, agent.id, { numbers: ['3'] });
    expect(moved).toMatchObject({ epoch: 1, agent: { role: 'agent', numbers: ['3'] } });
    const promoted = changeAgentAccess(agents, clock, agent.id, { role: 'admin', numbers: 'all' });
    expect(promoted).toMatchObject({ epoch: 2, agent: { role: 'admin', numbers: 'all' } });
    expect(agents.get(agent.id)).toEqual(promoted);
  });

  it('refuses unknown agents, revoked agents and empty changes with stable codes', () => {
    const { agent } = createAgent(agents, clock, { name: 'Ana', role: 'agent', numbers: ['1'] });
    expect(() => revokeAgent(agents, clock, 'agt_nobody')).toThrow(
      expect.objectContaining({ code: 'AGENT_NOT_FOUND' }),
    );
    expect(() => changeAgentAccess(agents, clock, agent.id, {})).toThrow(
      expect.objectContaining({ code: 'INVALID_AGENT' }),
    );
    expect(() => changeAgentAccess(agents, clock, agent.id, { numbers: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_AGENT' }),
    );
    expect(() => createAgent(agents, clock, { name: '', role: 'agent', numbers: 'all' })).toThrow(
      expect.objectContaining({ code: 'INVALID_AGENT' }),
    );
    revokeAgent(agents, clock, agent.id);
    expect(() => changeAgentAccess(agents, clock, agent.id, { numbers: 'all' })).toThrow(
      expect.objectContaining({ code: 'AGENT_REVOKED' }),
    );
    expect(agents.get(agent.id)).toMatchObject({ epoch: 0, agent: { numbers: ['1'] } });
  });
});

describe('watchExternalCommits', () => {
  it('calls back after another connection commits, not after this one’s own writes', async () => {
    let changes = 0;
    let wake: () => void = () => {};
    const stop = watchExternalCommits(
      store.database,
      () => {
        changes += 1;
        wake();
      },
      10,
    );
    try {
      // The relay's own writes (here: an agent it creates) do not count.
      createAgent(agents, clock, { name: 'Ana', role: 'agent', numbers: ['1'] });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(changes).toBe(0);

      const other = openSqliteRelayStore(join(dir, 'relay.sqlite'));
      const changed = new Promise<void>((resolve) => (wake = resolve));
      createAgent(createAgentStore(other.database), clock, { name: 'Beto', role: 'admin', numbers: 'all' });
      other.close();
      await changed;
      expect(changes).toBe(1);
    } finally {
      stop();
    }
  });
});
