// Inbox-style visibility (DESIGN.md, Sync): an agent sees the conversations of its phone numbers;
// supervisors and admins see every number.
import type { Agent } from '../../shared/domain.ts';

/** Whether `agent` may see what belongs to `phoneNumberId` (null = account-wide, seen by all). */
export function canSeeNumber(agent: Agent, phoneNumberId: string | null): boolean {
  if (phoneNumberId === null || agent.role !== 'agent' || agent.numbers === 'all') return true;
  return agent.numbers.includes(phoneNumberId);
}
