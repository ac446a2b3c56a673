// The relay's pino logger. Secrets are redacted by key wherever they might slip into a log object;
// message bodies and tokens are never logged at info in the first place.
import { pino, type Logger } from 'pino';
import type { RelayConfig } from './config.ts';

export function createRelayLogger(level: RelayConfig['logLevel']): Logger {
  return pino({
    level,
    base: { program: 'relay' },
    redact: {
      paths: [
        'accessToken',
        'appSecret',
        'verifyToken',
        'token',
        '*.accessToken',
        '*.appSecret',
        '*.verifyToken',
        '*.token',
        'req.headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
