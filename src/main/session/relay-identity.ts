// Asks the relay who a token belongs to (GET /v1/me) before anything is stored: a wrong token, an
// unreachable relay and an address that is not a relay each get their own code and a sentence the
// agent can act on. The token is never part of a message.
import { z } from 'zod';
import { agentSchema, type Agent } from '../../shared/domain.ts';
import { CodedError } from '../../shared/result.ts';

const meSchema = z.object({ agent: agentSchema, serverTime: z.number() });

/** Long enough for a slow VPN, short enough that the sign-in screen does not hang. */
const ME_TIMEOUT_MS = 15_000;

export interface RelayIdentityOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export async function fetchRelayAgent(
  relayUrl: string,
  token: string,
  options: RelayIdentityOptions = {},
): Promise<Agent> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(`${relayUrl}/v1/me`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      // A redirect could carry the token to another address: the agent types the final one instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? ME_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CodedError(
      'RELAY_UNREACHABLE',
      `Could not reach the relay at ${relayUrl} (${networkReason(error)}). Check the address and your connection.`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    throw new CodedError(
      'INVALID_TOKEN',
      `The relay at ${relayUrl} did not accept this token. Paste it again, or ask your administrator for a new one.`,
    );
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    const location = response.headers.get('location');
    throw new CodedError(
      'NOT_A_RELAY',
      `${relayUrl} redirects elsewhere${location ? ` (to ${location})` : ''}; type the relay's own address.`,
    );
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw new CodedError(
      'RELAY_UNREACHABLE',
      `The relay at ${relayUrl} is not answering properly (HTTP ${response.status}). Try again in a moment.`,
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  const me = response.status === 200 ? meSchema.safeParse(body) : null;
  if (!me?.success) {
    throw new CodedError(
      'NOT_A_RELAY',
      `${relayUrl} answered, but not as a Ventana relay (HTTP ${response.status}). Check the address with your administrator.`,
    );
  }
  return me.data.agent;
}

/** Node's fetch says only "fetch failed": the useful part (ECONNREFUSED, ENOTFOUND...) is the cause. */
function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
