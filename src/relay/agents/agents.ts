// Creating agents and recognising them by token.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { roleSchema, type Agent } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';
import type { Clock } from '../../shared/clock.ts';
import type { RelayStore } from '../store/relay-store.ts';
import { bearerToken, generateAgentToken, hashAgentToken } from './tokens.ts';

export const newAgentInputSchema = z.object({
  name: z.string().trim().min(1, 'a name is required').max(100),
  role: roleSchema,
  /** Phone-number ids the agent answers for, or 'all'. */
  numbers: z.union([
    z.literal('all'),
    z.array(z.string().trim().min(1)).min(1, 'at least one phone-number id, or "all"'),
  ]),
});
export type NewAgentInput = z.infer<typeof newAgentInputSchema>;

/** Creates an agent; the token is returned once and stored only as a hash. */
export function createAgent(
  store: RelayStore,
  clock: Clock,
  input: NewAgentInput,
): { agent: Agent; token: string } {
  const parsed = newAgentInputSchema.safeParse(input);
  if (!parsed.success) throw new CodedError('INVALID_AGENT', z.prettifyError(parsed.error));
  const { name, role, numbers } = parsed.data;
  const agent: Agent = { id: `agt_${randomUUID()}`, name, role, numbers };
  const token = generateAgentToken();
  store.insertAgent(agent, hashAgentToken(token), clock.now());
  return { agent, token };
}

/** The agent an `Authorization` header belongs to, or null. */
export function authenticateAgent(store: RelayStore, authorization: string | undefined): Agent | null {
  const token = bearerToken(authorization);
  return token === null ? null : store.findAgentByTokenHash(hashAgentToken(token));
}
