import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { machinePolicySources, policyFilePath } from '../../../src/main/policy/policy-paths.ts';
import { PolicySettings } from '../../../src/main/policy/policy-settings.ts';
import { runCommand } from '../../../src/main/policy/run-command.ts';
import { JsonFilePolicySource } from '../../../src/main/policy/sources/json-file-source.ts';
import { RegistryPolicySource } from '../../../src/main/policy/sources/registry-source.ts';
import { CodedError } from '../../../src/shared/result.ts';
import { capturedRunner, fixturePath, fixtureText } from './fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ventana-policy-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('source precedence', () => {
  it('registry beats the file, the file beats the user, and locks from both add up', async () => {
    const registry = new RegistryPolicySource(
      capturedRunner({ exitCode: 0, stdout: fixtureText('registry', 'locked-relay.txt'), stderr: '' }),
    );
    const file = new JsonFilePolicySource(fixturePath('file', 'invalid-entries.json'));
    const userSettingsPath = path.join(dir, 'settings.json');
    await writeFile(userSettingsPath, JSON.stringify({ retentionDays: 3, updateChannel: 'stable' }));
    const settings = await PolicySettings.open({ sources: [registry, file], userSettingsPath });
    const { values, sources, locked } = settings.effective;
    expect(values).toEqual({
      relayUrl: 'https://relay.corp.example:8443/',
      retentionDays: 14,
      updateChannel: 'beta',
    });
    expect(sources).toEqual({ relayUrl: 'registry', retentionDays: 'registry', updateChannel: 'registry' });
    expect(locked).toEqual(['relayUrl', 'retentionDays']);
  });
});

describe('user settings', () => {
  it('saves a setting, applies it, and finds it again after a restart', async () => {
    const userSettingsPath = path.join(dir, 'nested', 'settings.json');
    const settings = await PolicySettings.open({ sources: [], userSettingsPath });
    const effective = await settings.setUserSetting('updateChannel', 'beta');
    expect(effective.values.updateChannel).toBe('beta');
    expect(effective.sources.updateChannel).toBe('user');
    const reopened = await PolicySettings.open({ sources: [], userSettingsPath });
    expect(reopened.effective.values.updateChannel).toBe('beta');
  });

  it('refuses to change a locked key with SETTING_LOCKED and leaves the file untouched', async () => {
    const userSettingsPath = path.join(dir, 'settings.json');
    await writeFile(userSettingsPath, '{"retentionDays":3}');
    const settings = await PolicySettings.open({
      sources: [new JsonFilePolicySource(fixturePath('file', 'locked-relay.json'))],
      userSettingsPath,
    });
    const attempt = settings.setUserSetting('relayUrl', 'https://elsewhere.example');
    await expect(attempt).rejects.toBeInstanceOf(CodedError);
    await expect(attempt).rejects.toMatchObject({ code: 'SETTING_LOCKED' });
    expect(await readFile(userSettingsPath, 'utf8')).toBe('{"retentionDays":3}');
    expect(settings.effective.values.relayUrl).toBe('https://relay.acme.example');
  });

  it('rejects an invalid value with INVALID_SETTING', async () => {
    const settings = await PolicySettings.open({
      sources: [],
      userSettingsPath: path.join(dir, 'settings.json'),
    });
    await expect(settings.setUserSetting('retentionDays', 0)).rejects.toMatchObject({
      code: 'INVALID_SETTING',
      message: 'retentionDays must be at least 1 day.',
    });
  });

  it('reports a corrupt settings file, runs on defaults, and heals it on the next change', async () => {
    const userSettingsPath = path.join(dir, 'settings.json');
    await writeFile(userSettingsPath, '{"retentionDays": 3,');
    const settings = await PolicySettings.open({ sources: [], userSettingsPath });
    expect(settings.effective.problems[0]).toMatch(/settings\.json: is not valid JSON/);
    expect(settings.effective.values.retentionDays).toBe(90);
    await settings.setUserSetting('retentionDays', 30);
    expect(JSON.parse(await readFile(userSettingsPath, 'utf8'))).toEqual({ retentionDays: 30 });
  });
});

describe('platform layout', () => {
  it('puts the policy file where each platform expects it', () => {
    expect(policyFilePath({ platform: 'win32', env: { ProgramData: 'D:\\ProgramData' } })).toBe(
      'D:\\ProgramData\\Ventana\\policy.json',
    );
    expect(policyFilePath({ platform: 'win32', env: {} })).toBe('C:\\ProgramData\\Ventana\\policy.json');
    expect(policyFilePath({ platform: 'darwin', env: {} })).toBe(
      '/Library/Application Support/Ventana/policy.json',
    );
    expect(policyFilePath({ platform: 'linux', env: {} })).toBe('/etc/ventana/policy.json');
  });

  it('reads the OS management source before the file, and only the file on Linux', () => {
    const names = (platform: NodeJS.Platform) =>
      machinePolicySources({ platform, env: {} }, { run: runCommand }).map((source) => source.name);
    expect(names('win32')).toEqual(['registry', 'file']);
    expect(names('darwin')).toEqual(['managed-preferences', 'file']);
    expect(names('linux')).toEqual(['file']);
  });
});

describe('runCommand', () => {
  it('returns the output and exit code of a real child process', async () => {
    const script = 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)';
    expect(await runCommand(process.execPath, ['-e', script])).toEqual({
      exitCode: 3,
      stdout: 'out',
      stderr: 'err',
    });
  });

  it('reports a missing tool as a failed run instead of throwing', async () => {
    const result = await runCommand(path.join(dir, 'no-such-tool'), []);
    expect(result.exitCode).toBe(-1);
    expect(result.stderr).toMatch(/ENOENT/);
  });
});
