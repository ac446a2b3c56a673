// Client mutation ids: made once when the agent acts and sent unchanged on every retry, so the
// relay can recognise a command it has already executed.
import { randomUUID } from 'node:crypto';

export function newMutationId(): string {
  return randomUUID().replaceAll('-', '');
}
