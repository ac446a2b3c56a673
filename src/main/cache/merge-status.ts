// A message snapshot from the relay may carry an older delivery state than the one cached (events
// replayed after a crash, statuses Meta sent out of order): ticks only ever move forward.
import { statusMovesForward, type MessageStatus } from '../../shared/domain.ts';

/** The status to keep when `incoming` arrives for a message cached with `current`. */
export function mergeStatus(current: MessageStatus, incoming: MessageStatus): MessageStatus {
  if (incoming === current) return current;
  // `unknown` is where the relay parks a send whose outcome was lost; it only follows queued/accepted.
  if (incoming === 'unknown') return current === 'queued' || current === 'accepted' ? incoming : current;
  return statusMovesForward(incoming, current) ? current : incoming;
}
