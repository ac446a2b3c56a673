// Agents in the relay's database: who may connect, with which role and numbers, and whether the token
// still works. Its own statements on the store's connection (they join the store's transactions).
// The CLI writes here while a relay may be running; the relay notices through agent-watch.ts.
import type Database from 'better-sqlite3';
import { agentSchema, type Agent, type Role } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';

export interface AgentRecord {
  agent: Agent;
  /** Bumped on every visibility change (numbers, role); sent to consoles in `welcome.epoch`. */
  epoch: number;
  createdAt: number;
  updatedAt: number;
  /** When the token was revoked; null while it is valid. */
  revokedAt: number | null;
}

/** A change of what an agent sees; omitted fields stay as they are. */
export interface AccessChange {
  numbers?: Agent['numbers'];
  role?: Role;
}

export interface AgentStore {
  insert(agent: Agent, tokenHash: string, createdAt: number): AgentRecord;
  /** The agent this token hash belongs to, unless it was revoked. */
  findActiveByTokenHash(tokenHash: string): AgentRecord | null;
  get(id: string): AgentRecord | null;
  /** Every agent, revoked ones included, oldest first. */
  list(): AgentRecord[];
  /** Revokes the agent's token (revoking twice keeps the first time). Throws AGENT_NOT_FOUND. */
  revoke(id: string, at: number): AgentRecord;
  /**
   * Changes the agent's numbers and/or role, bumping its epoch when what it sees changes.
   * Throws AGENT_NOT_FOUND, or AGENT_REVOKED for a revoked agent.
   */
  changeAccess(id: string, change: AccessChange, at: number): AgentRecord;
}

interface AgentRow {
  id: string;
  name: string;
  role: string;
  numbers_json: string;
  epoch: number;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, name, role, numbers_json, epoch, created_at, updated_at, revoked_at';

function toRecord(row: AgentRow): AgentRecord {
  return {
    agent: agentSchema.parse({
      id: row.id,
      name: row.name,
      role: row.role,
      numbers: JSON.parse(row.numbers_json) as unknown,
    }),
    epoch: row.epoch,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
  };
}

const sameNumbers = (a: Agent['numbers'], b: Agent['numbers']): boolean =>
  JSON.stringify(a === 'all' ? a : [...a].sort()) === JSON.stringify(b === 'all' ? b : [...b].sort());

export function createAgentStore(db: Database.Database): AgentStore {
  const sql = {
    insert: db.prepare<[string, string, string, string, string, number, number]>(
      `INSERT INTO agents (id, name, role, numbers_json, token_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    byTokenHash: db.prepare<[string], AgentRow>(
      `SELECT ${COLUMNS} FROM agents WHERE token_hash = ? AND revoked_at IS NULL`,
    ),
    byId: db.prepare<[string], AgentRow>(`SELECT ${COLUMNS} FROM agents WHERE id = ?`),
    all: db.prepare<[], AgentRow>(`SELECT ${COLUMNS} FROM agents ORDER BY created_at, rowid`),
    revoke: db.prepare<[number, number, string]>(
      'UPDATE agents SET revoked_at = ?, updated_at = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    changeAccess: db.prepare<[string, string, number, string]>(
      'UPDATE agents SET role = ?, numbers_json = ?, epoch = epoch + 1, updated_at = ? WHERE id = ?',
    ),
  };

  const existing = (id: string): AgentRecord => {
    const row = sql.byId.get(id);
    if (row === undefined) throw new CodedError('AGENT_NOT_FOUND', `No agent has the id "${id}".`);
    return toRecord(row);
  };

  return {
    insert(agent, tokenHash, createdAt) {
      sql.insert.run(
        agent.id,
        agent.name,
        agent.role,
        JSON.stringify(agent.numbers),
        tokenHash,
        createdAt,
        createdAt,
      );
      return existing(agent.id);
    },

    findActiveByTokenHash(tokenHash) {
      const row = sql.byTokenHash.get(tokenHash);
      return row === undefined ? null : toRecord(row);
    },

    get(id) {
      const row = sql.byId.get(id);
      return row === undefined ? null : toRecord(row);
    },

    list: () => sql.all.all().map(toRecord),

    revoke: (id, at) =>
      db
        .transaction(() => {
          existing(id);
          sql.revoke.run(at, at, id);
          return existing(id);
        })
        .immediate(),

    changeAccess: (id, change, at) =>
      db
        .transaction(() => {
          const current = existing(id);
          if (current.revokedAt !== null) {
            throw new CodedError('AGENT_REVOKED', `Agent "${id}" was revoked; add a new agent instead.`);
          }
          const role = change.role ?? current.agent.role;
          const numbers = change.numbers ?? current.agent.numbers;
          if (role === current.agent.role && sameNumbers(numbers, current.agent.numbers)) return current;
          sql.changeAccess.run(role, JSON.stringify(numbers), at, id);
          return existing(id);
        })
        .immediate(),
  };
}
