// A complete relay configuration for tests: files in `dir`, quiet logs, test controls on.
import { join } from 'node:path';
import type { RelayConfig } from '../../src/relay/index.ts';

export function testRelayConfig(
  dir: string,
  required: Pick<RelayConfig, 'appSecret' | 'accessToken' | 'graphBaseUrl' | 'graphVersion' | 'wabaId'>,
  overrides: Partial<RelayConfig> = {},
): RelayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dbPath: join(dir, 'relay.sqlite'),
    mediaDir: join(dir, 'media'),
    verifyToken: 'test-verify-token',
    maxWebhookBytes: 1024 * 1024,
    graphTimeoutMs: 15_000,
    eventHorizonDays: 30,
    controlEnabled: true,
    logLevel: 'silent',
    ...required,
    ...overrides,
  };
}
