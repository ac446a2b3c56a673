// Inbox-style visibility (DESIGN.md, Sync): an agent sees the conversations of its phone numbers;
// supervisors and admins see every number. Alerts are for admins only (protocol.ts).
import type { Agent } from '../../shared/domain.ts';
import type { RelayEventType } from '../../shared/protocol.ts';

/** Whether `agent` may see what belongs to `phoneNumberId` (null = account-wide, seen by all). */
export function canSeeNumber(agent: Agent, phoneNumberId: string | null): boolean {
  if (phoneNumberId === null || agent.role !== 'agent' || agent.numbers === 'all') return true;
  return agent.numbers.includes(phoneNumberId);
}

/** Whether `agent` may see a logged event. */
export function canSeeEvent(
  agent: Agent,
  event: { type: RelayEventType; phoneNumberId: string | null },
): boolean {
  if (event.type === 'alert.raised') return agent.role === 'admin';
  return canSeeNumber(agent, event.phoneNumberId);
}
