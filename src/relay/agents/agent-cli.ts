// The `npm run relay -- agent ...` subcommands: each takes its parsed arguments and the agent store,
// changes what it must, and returns the text to print. A relay running on the same database notices
// the change within a couple of seconds (agent-watch.ts).
import type { Clock } from '../../shared/clock.ts';
import type { Agent } from '../../shared/domain.ts';
import type { AgentRecord, AgentStore } from './agent-store.ts';
import {
  changeAgentAccess,
  createAgent,
  revokeAgent,
  type AccessChangeInput,
  type NewAgentInput,
} from './agents.ts';

const describeNumbers = (numbers: Agent['numbers']): string =>
  numbers === 'all' ? 'all numbers' : `number${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')}`;

/** 2026-11-21 12:00 (UTC, to the minute). */
const utcMinute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function addAgentCommand(agents: AgentStore, clock: Clock, input: NewAgentInput): string {
  const { agent, token } = createAgent(agents, clock, input);
  return (
    `Created ${agent.role} "${agent.name}" (${agent.id}) for ${describeNumbers(agent.numbers)}.\n` +
    `Token (shown only this once; the relay keeps only its hash):\n${token}\n`
  );
}

export function revokeAgentCommand(agents: AgentStore, clock: Clock, agentId: string): string {
  const before = agents.get(agentId);
  const record = revokeAgent(agents, clock, agentId);
  const { name, id } = record.agent;
  if (before !== null && before.revokedAt !== null)
    return `Agent "${name}" (${id}) was already revoked on ${utcMinute(before.revokedAt)} UTC.\n`;
  return (
    `Revoked agent "${name}" (${id}): its token is refused from now on, ` +
    'and a running relay closes its open consoles within a few seconds.\n'
  );
}

export function changeAccessCommand(
  agents: AgentStore,
  clock: Clock,
  agentId: string,
  change: AccessChangeInput,
): string {
  const before = agents.get(agentId);
  const record = changeAgentAccess(agents, clock, agentId, change);
  const { name, id, role, numbers } = record.agent;
  const now = `${role === 'supervisor' ? 'a' : 'an'} ${role} for ${describeNumbers(numbers)}`;
  if (before !== null && before.epoch === record.epoch)
    return `Agent "${name}" (${id}) is already ${now}: nothing changed.\n`;
  return (
    `Agent "${name}" (${id}) is now ${now}. ` +
    'Its consoles rebuild their inbox for what it may see now (a running relay tells them within a few seconds).\n'
  );
}

/** Every agent as a table (or JSON with `json`), revoked ones included. */
export function listAgentsCommand(agents: AgentStore, json: boolean): string {
  const records = agents.list();
  if (json) return `${JSON.stringify(records.map(agentJson), null, 2)}\n`;
  if (records.length === 0) return 'No agents yet. Add one with: npm run relay -- agent add --help\n';
  const header = ['ID', 'NAME', 'ROLE', 'NUMBERS', 'CREATED (UTC)', 'REVOKED (UTC)'];
  const rows = records.map(({ agent, createdAt, revokedAt }) => [
    agent.id,
    agent.name,
    agent.role,
    agent.numbers === 'all' ? 'all' : agent.numbers.join(','),
    utcMinute(createdAt),
    revokedAt === null ? '-' : utcMinute(revokedAt),
  ]);
  return formatTable([header, ...rows]);
}

function agentJson(record: AgentRecord) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    ...record.agent,
    epoch: record.epoch,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    revokedAt: record.revokedAt === null ? null : iso(record.revokedAt),
  };
}

/** Left-aligned columns, two spaces apart (widths in characters, so accented names line up). */
function formatTable(rows: string[][]): string {
  const width = (text: string) => [...text].length;
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => width(row[column] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell + ' '.repeat(widths[column]! - width(cell)))
      .join('  ')
      .trimEnd();
  return `${rows.map(line).join('\n')}\n`;
}
