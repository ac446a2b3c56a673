// Agents: creating them, recognising them by token, revoking them and changing what they see.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { roleSchema, type Agent } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';
import type { Clock } from '../../shared/clock.ts';
import type { AccessChange, AgentRecord, AgentStore } from './agent-store.ts';
import { bearerToken, generateAgentToken, hashAgentToken } from './tokens.ts';

/** Phone-number ids an agent is a member of (duplicates dropped), or 'all'. */
export const agentNumbersSchema = z.union(
  [
    z.literal('all'),
    z
      .array(z.string().trim().min(1))
      .min(1)
      .transform((ids) => [...new Set(ids)]),
  ],
  { error: 'at least one phone-number id, or "all"' },
);

export const newAgentInputSchema = z.object({
  name: z.string().trim().min(1, 'a name is required').max(100),
  role: roleSchema,
  numbers: agentNumbersSchema,
});
export type NewAgentInput = z.input<typeof newAgentInputSchema>;

export const accessChangeSchema = z
  .object({ numbers: agentNumbersSchema.optional(), role: roleSchema.optional() })
  .refine((change) => change.numbers !== undefined || change.role !== undefined, {
    message: 'give the new numbers, the new role, or both',
  });
export type AccessChangeInput = z.input<typeof accessChangeSchema>;

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new CodedError('INVALID_AGENT', z.prettifyError(parsed.error));
  return parsed.data;
}

/** Creates an agent; the token is returned once and stored only as a hash. */
export function createAgent(
  agents: AgentStore,
  clock: Clock,
  input: NewAgentInput,
): { agent: Agent; token: string } {
  const { name, role, numbers } = parse(newAgentInputSchema, input);
  const agent: Agent = { id: `agt_${randomUUID()}`, name, role, numbers };
  const token = generateAgentToken();
  agents.insert(agent, hashAgentToken(token), clock.now());
  return { agent, token };
}

/** Revokes an agent's token: it is refused from now on and its live consoles are closed. */
export function revokeAgent(agents: AgentStore, clock: Clock, agentId: string): AgentRecord {
  return agents.revoke(agentId, clock.now());
}

/** Changes an agent's numbers and/or role; its consoles rebuild from a snapshot. */
export function changeAgentAccess(
  agents: AgentStore,
  clock: Clock,
  agentId: string,
  change: AccessChangeInput,
): AgentRecord {
  const parsed: AccessChange = parse(accessChangeSchema, change);
  return agents.changeAccess(agentId, parsed, clock.now());
}

/** The agent (with its visibility epoch) an `Authorization` header belongs to; null when absent, unknown or revoked. */
export function authenticateAgent(agents: AgentStore, authorization: string | undefined): AgentRecord | null {
  const token = bearerToken(authorization);
  return token === null ? null : agents.findActiveByTokenHash(hashAgentToken(token));
}
