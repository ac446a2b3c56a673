import { describe, expect, it } from 'vitest';
import { readSource } from '../../../src/main/policy/policy-source.ts';
import { resolvePolicy } from '../../../src/main/policy/resolve-policy.ts';
import { parseRegQueryOutput } from '../../../src/main/policy/sources/registry-output.ts';
import {
  POLICY_REGISTRY_KEY,
  RegistryPolicySource,
} from '../../../src/main/policy/sources/registry-source.ts';
import { capturedRunner, fixtureText, userSettings } from './fixtures.ts';

const key = POLICY_REGISTRY_KEY;

describe('reg query output parser', () => {
  it('decodes strings, hex DWORDs and multi-strings, and reports unsupported types', () => {
    const parsed = parseRegQueryOutput(fixtureText('registry', 'invalid-entries.txt'));
    expect(Object.fromEntries(parsed.values)).toEqual({
      RetentionDays: 0,
      UpdateChannel: 'nightly',
      Locks: ['retentiondays', 'UpdateChannel', 'Theme'],
      RelayUrlLocked: 2,
      Proxy: 'http://proxy:3128',
    });
    expect(parsed.problems).toEqual(['Banner: has registry type REG_BINARY, which Ventana does not read']);
  });
});

describe('registry source', () => {
  it('runs reg query on the policy key and applies values and <Key>Locked over user settings', async () => {
    const run = capturedRunner({
      exitCode: 0,
      stdout: fixtureText('registry', 'locked-relay.txt'),
      stderr: '',
    });
    const reading = await readSource(new RegistryPolicySource(run));
    expect(run.calls).toEqual([['reg', ['query', key]]]);
    const policy = resolvePolicy(
      reading ? [reading] : [],
      userSettings({ relayUrl: 'https://mine.example', updateChannel: 'stable' }),
    );
    expect(policy.values).toEqual({
      relayUrl: 'https://relay.corp.example:8443/',
      retentionDays: 14,
      updateChannel: 'beta',
    });
    expect(policy.locked).toEqual(['relayUrl']); // UpdateChannelLocked = 0 leaves it unlocked
    expect(policy.sources).toEqual({
      relayUrl: 'registry',
      retentionDays: 'registry',
      updateChannel: 'registry',
    });
    expect(policy.problems).toEqual([]);
  });

  it('reports every bad value with key and problem, and locks from Locks case-insensitively', async () => {
    const run = capturedRunner({
      exitCode: 0,
      stdout: fixtureText('registry', 'invalid-entries.txt'),
      stderr: '',
    });
    const reading = await readSource(new RegistryPolicySource(run));
    const policy = resolvePolicy(
      reading ? [reading] : [],
      userSettings({ retentionDays: 5, relayUrl: 'https://mine.example' }),
    );
    expect(policy.locked).toEqual(['retentionDays', 'updateChannel']);
    // Locked with invalid machine values: the safe defaults, not the user's values.
    expect(policy.values).toEqual({
      relayUrl: 'https://mine.example',
      retentionDays: 90,
      updateChannel: 'stable',
    });
    expect(policy.sources).toEqual({ relayUrl: 'user', retentionDays: 'default', updateChannel: 'default' });
    expect(policy.problems).toEqual([
      `${key}\\Banner: has registry type REG_BINARY, which Ventana does not read`,
      `${key}\\RelayUrlLocked: must be a REG_DWORD of 1 (locked) or 0 (not locked); ignored`,
      `${key}: retentionDays must be at least 1 day (got 0); ignored, the next source or the default applies`,
      `${key}: updateChannel must be "stable" or "beta" (got "nightly"); ignored, the next source or the default applies`,
      `${key}: Proxy is not a setting Ventana knows (known: relayUrl, retentionDays, updateChannel, locks); ignored`,
      `${key}: locks names "Theme", which is not a setting that can be locked (relayUrl, retentionDays, updateChannel); ignored`,
    ]);
  });

  it('treats a missing policy key as no policy', async () => {
    const run = capturedRunner({
      exitCode: 1,
      stdout: '',
      stderr: fixtureText('registry', 'key-missing-stderr.txt'),
    });
    expect(await new RegistryPolicySource(run).read()).toBeNull();
  });

  it('reports a reg failure naming the key', async () => {
    const run = capturedRunner({ exitCode: -1, stdout: '', stderr: 'spawn reg ENOENT' });
    expect(await new RegistryPolicySource(run).read()).toEqual({
      entries: {},
      problems: [`${key}: cannot be read (spawn reg ENOENT); its policy is ignored`],
    });
  });
});
