import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../../../src/relay/config.ts';
import { CodedError } from '../../../src/shared/result.ts';

const dir = mkdtempSync(join(tmpdir(), 'ventana-relay-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const required = {
  VENTANA_APP_SECRET: 'secret',
  VENTANA_VERIFY_TOKEN: 'verify',
  VENTANA_ACCESS_TOKEN: 'access',
  VENTANA_WABA_ID: '310000000000001',
};

function writeConfig(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function configError(input: Parameters<typeof loadRelayConfig>[0]): CodedError {
  try {
    loadRelayConfig(input);
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadRelayConfig', () => {
  it('applies defaults around the required settings', () => {
    expect(loadRelayConfig({ env: required })).toEqual({
      host: '127.0.0.1',
      port: 8080,
      dbPath: 'ventana-relay.db',
      mediaDir: 'ventana-media',
      appSecret: 'secret',
      verifyToken: 'verify',
      accessToken: 'access',
      graphBaseUrl: 'https://graph.facebook.com',
      graphVersion: 'v23.0',
      wabaId: '310000000000001',
      maxWebhookBytes: 1048576,
      graphTimeoutMs: 15000,
      numberMessagesPerSecond: 80,
      eventHorizonDays: 30,
      controlEnabled: false,
      logLevel: 'info',
    });
  });

  it('reads booleans from the environment as true or false only', () => {
    expect(loadRelayConfig({ env: { ...required, VENTANA_CONTROL_ENABLED: 'true' } }).controlEnabled).toBe(
      true,
    );
    expect(() => loadRelayConfig({ env: { ...required, VENTANA_CONTROL_ENABLED: 'yes' } })).toThrow(
      /controlEnabled: VENTANA_CONTROL_ENABLED="yes" must be true or false/,
    );
  });

  it('lets environment variables win over the file, and resolves the file dbPath next to the file', () => {
    const file = writeConfig('relay.json', {
      port: 9000,
      dbPath: 'data/relay.db',
      logLevel: 'debug',
      appSecret: 'from-file',
    });
    const config = loadRelayConfig({ file, env: { ...required, VENTANA_PORT: '9100' } });
    expect(config).toMatchObject({
      port: 9100,
      dbPath: join(dir, 'data/relay.db'),
      logLevel: 'debug',
      appSecret: 'secret',
    });
  });

  it('lists every problem at once, naming the setting and its source', () => {
    const file = writeConfig('bad.json', { port: 70000, graphVersion: '23', prot: 1 });
    const error = configError({
      file,
      env: { VENTANA_VERIFY_TOKEN: 'verify', VENTANA_GRAPH_TIMEOUT_MS: 'soon', VENTANA_LOG_LEVEL: 'loud' },
    });
    expect(error.code).toBe('INVALID_CONFIG');
    const lines = error.message.split('\n').slice(1);
    expect(lines).toHaveLength(8);
    expect(error.message).toContain('graphTimeoutMs: VENTANA_GRAPH_TIMEOUT_MS="soon" is not a whole number');
    expect(error.message).toContain('unknown key(s) "prot"');
    expect(error.message).toMatch(/port: .*65535.*\(from "port" in the config file\)/);
    expect(error.message).toMatch(/graphVersion: must look like v23\.0/);
    expect(error.message).toMatch(/logLevel: .*\(from VENTANA_LOG_LEVEL\)/);
    for (const key of ['appSecret', 'accessToken', 'wabaId']) {
      expect(error.message).toContain(`${key}: required`);
    }
    expect(error.message).not.toContain('verifyToken');
  });

  it('paces each number at 80 messages per second unless told otherwise, from the file or the environment', () => {
    expect(loadRelayConfig({ env: required }).numberMessagesPerSecond).toBe(80);
    const file = writeConfig('coexistence.json', { numberMessagesPerSecond: 20 });
    expect(loadRelayConfig({ file, env: required }).numberMessagesPerSecond).toBe(20);
    expect(
      loadRelayConfig({ file, env: { ...required, VENTANA_NUMBER_MESSAGES_PER_SECOND: '1000' } })
        .numberMessagesPerSecond,
    ).toBe(1000);
    expect(
      configError({ env: { ...required, VENTANA_NUMBER_MESSAGES_PER_SECOND: 'fast' } }).message,
    ).toContain('numberMessagesPerSecond: VENTANA_NUMBER_MESSAGES_PER_SECOND="fast" is not a whole number');
    expect(configError({ env: { ...required, VENTANA_NUMBER_MESSAGES_PER_SECOND: '0' } }).message).toMatch(
      /numberMessagesPerSecond: .*\(from VENTANA_NUMBER_MESSAGES_PER_SECOND\)/,
    );
  });

  it('reports an unreadable or malformed file', () => {
    expect(configError({ file: join(dir, 'missing.json'), env: required }).message).toContain(
      'cannot be read (ENOENT)',
    );
    expect(configError({ file: writeConfig('broken.json', '{ "port": '), env: required }).message).toContain(
      'not valid JSON',
    );
    expect(configError({ file: writeConfig('array.json', '[]'), env: required }).message).toContain(
      'must hold a JSON object',
    );
  });

  it('refuses empty secrets and a Graph URL that is not http(s)', () => {
    const error = configError({
      env: { ...required, VENTANA_GRAPH_BASE_URL: 'ftp://graph' },
      file: writeConfig('empty.json', { accessToken: '' }),
    });
    expect(error.message).toContain('graphBaseUrl: must be an http(s) URL (from VENTANA_GRAPH_BASE_URL)');
    // The env var is set, so the empty value in the file is overridden and fine.
    expect(error.message).not.toContain('accessToken');
    expect(configError({ env: { ...required, VENTANA_ACCESS_TOKEN: '' } }).message).toContain(
      'accessToken: required',
    );
  });
});
