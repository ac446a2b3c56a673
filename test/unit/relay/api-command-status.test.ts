// The HTTP status of a command's outcome over REST: 200 when carried out, and a 4xx a client can act
// on for each kind of refusal (the body always carries the code and message).
import { describe, expect, it } from 'vitest';
import { commandHttpStatus } from '../../../src/relay/api/command-status.ts';

const refused = (code: string) => commandHttpStatus({ ok: false, error: { code, message: 'why' } });

describe('commandHttpStatus', () => {
  it('is 200 for a command carried out', () => {
    expect(commandHttpStatus({ ok: true, messageId: 'm-1' })).toBe(200);
    expect(commandHttpStatus({ ok: true, messageId: null })).toBe(200);
  });

  it('sorts refusals: role 403, not visible 404, a taken mutation id 409, the rest 422', () => {
    expect(refused('FORBIDDEN')).toBe(403);
    expect(refused('CONVERSATION_NOT_FOUND')).toBe(404);
    expect(refused('MESSAGE_NOT_FOUND')).toBe(404);
    expect(refused('MUTATION_ID_TAKEN')).toBe(409);
    for (const code of [
      'WINDOW_CLOSED',
      'TEMPLATE_PARAMETERS',
      'NOT_SUPPORTED',
      'INTERRUPTED',
      'AGENT_NOT_MEMBER',
    ])
      expect(refused(code), code).toBe(422);
  });

  it('is 500 when the relay failed internally (nothing was stored; the mutation may be sent again)', () => {
    expect(refused('INTERNAL')).toBe(500);
  });
});
