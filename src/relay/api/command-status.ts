// The HTTP status of a command's outcome over REST. The outcome itself (CommandResult) is the body, so
// an integration reads the same code and message a console shows; the status only sorts refusals.
import type { CommandResult } from '../../shared/protocol.ts';

export function commandHttpStatus(result: CommandResult): number {
  if (result.ok) return 200;
  const { code } = result.error;
  if (code === 'INTERNAL') return 500;
  if (code === 'FORBIDDEN' || code.endsWith('_FORBIDDEN')) return 403;
  // Refusals never say whether something exists on a number the agent is not a member of.
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code === 'MUTATION_ID_TAKEN') return 409;
  // Well-formed but not possible now or at all: window closed, template parameters, not supported, ...
  return 422;
}
