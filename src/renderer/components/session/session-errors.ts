// Which sentence the sign-in and sign-out screens show for a refusal, by its stable code; main's own
// message is shown beneath as the detail where it carries the reason (the network error, the keychain's).
import type { TFunction } from 'i18next';
import type { ErrorInfo } from '../../../shared/result.ts';

const KNOWN = [
  'INVALID_TOKEN',
  'RELAY_UNREACHABLE',
  'NOT_A_RELAY',
  'KEYCHAIN_UNAVAILABLE',
  'DEMO_MODE',
] as const;
type KnownCode = (typeof KNOWN)[number];
const isKnown = (code: string): code is KnownCode => (KNOWN as readonly string[]).includes(code);

/** Codes whose sentence says everything: main's detail would only repeat it. */
const SELF_EXPLAINING: readonly string[] = ['INVALID_TOKEN', 'DEMO_MODE'];

export interface ShownError {
  sentence: string;
  detail: string | null;
}

export function sessionErrorText(t: TFunction, error: ErrorInfo): ShownError {
  const sentence = isKnown(error.code) ? t(`session.errors.${error.code}`) : t('session.errors.other');
  const detail = SELF_EXPLAINING.includes(error.code) ? null : `${error.message} (${error.code})`;
  return { sentence, detail };
}

/** Checks what the agent typed before asking main; null when it is worth sending. */
export function signInInputProblem(t: TFunction, relayUrl: string, token: string): string | null {
  const url = relayUrl.trim();
  if (url === '') return t('session.errors.relayRequired');
  if (!/^https?:\/\/[^/]+/i.test(url) || !URL.canParse(url)) return t('session.errors.invalidUrl');
  const typed = token.trim();
  if (typed === '') return t('session.errors.tokenRequired');
  if (typed.length < 16) return t('session.errors.tokenTooShort');
  return null;
}
