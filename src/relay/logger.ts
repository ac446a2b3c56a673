// The relay's pino logger. Tokens and message bodies are never logged at info in the first place (call
// sites log ids, counts and codes); the redaction below is the safety net for a secret or a body that
// slips into a log object by its usual key, at any level.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { RelayConfig } from './config.ts';

/** Keys whose values never reach a log line, at the top level and one object down. */
const SECRET_KEYS = [
  'accessToken',
  'appSecret',
  'verifyToken',
  'token',
  'authorization',
  'Authorization',
  'password',
  'secret',
];
/** Keys that hold what customers and agents wrote. */
const BODY_KEYS = ['text', 'caption', 'body'];

export const REDACTED_PATHS = [
  ...[...SECRET_KEYS, ...BODY_KEYS].flatMap((key) => [key, `*.${key}`]),
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
];

/** Logs JSON lines to `destination` (default stdout) at `level`. */
export function createRelayLogger(level: RelayConfig['logLevel'], destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { program: 'relay' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
