import { describe, expect, it } from 'vitest';
import { readSource } from '../../../src/main/policy/policy-source.ts';
import { resolvePolicy } from '../../../src/main/policy/resolve-policy.ts';
import {
  MANAGED_PREFERENCES_PATH,
  ManagedPreferencesPolicySource,
  PlutilPlistReader,
  type PlistReader,
} from '../../../src/main/policy/sources/managed-preferences-source.ts';
import { capturedRunner, fixturePath, fixtureText, userSettings } from './fixtures.ts';

/** plutil's JSON output, captured as fixtures. */
const fixtureReader = (name: string): PlistReader => ({
  readAsJson: () => Promise.resolve(fixtureText('managed-preferences', name)),
});

async function fromManagedPreferences(name: string, user: Record<string, unknown> = {}) {
  const reading = await readSource(new ManagedPreferencesPolicySource(fixtureReader(name)));
  return resolvePolicy(reading ? [reading] : [], userSettings(user));
}

describe('macOS managed preferences source', () => {
  it('applies managed values and locks over user settings', async () => {
    const policy = await fromManagedPreferences('locked-channel.json', {
      updateChannel: 'beta',
      relayUrl: 'https://mine.example',
    });
    expect(policy.values).toEqual({
      relayUrl: 'https://mine.example',
      retentionDays: 180,
      updateChannel: 'stable',
    });
    expect(policy.locked).toEqual(['retentionDays', 'updateChannel']);
    expect(policy.sources).toEqual({
      relayUrl: 'user',
      retentionDays: 'managed-preferences',
      updateChannel: 'managed-preferences',
    });
    expect(policy.problems).toEqual([]);
  });

  it('reports bad entries naming the plist and key, and keeps the good ones', async () => {
    const policy = await fromManagedPreferences('invalid-entries.json', { retentionDays: 10 });
    expect(policy.values).toEqual({
      relayUrl: 'https://relay.mdm.example',
      retentionDays: 10,
      updateChannel: 'stable',
    });
    expect(policy.locked).toEqual([]);
    expect(policy.problems).toEqual([
      `${MANAGED_PREFERENCES_PATH}: retentionDays must be at most 3650 days (10 years) (got 4000); ignored, the next source or the default applies`,
      `${MANAGED_PREFERENCES_PATH}: locks must be a list of setting names (got "relayUrl"); no lock from this source applies`,
      `${MANAGED_PREFERENCES_PATH}: PayloadUUID is not a setting Ventana knows (known: relayUrl, retentionDays, updateChannel, locks); ignored`,
    ]);
  });

  it('reports a plist that cannot be read', async () => {
    const failing: PlistReader = {
      readAsJson: () => Promise.reject(new Error('Property List error: Unexpected character')),
    };
    expect(await new ManagedPreferencesPolicySource(failing).read()).toEqual({
      entries: {},
      problems: [
        `${MANAGED_PREFERENCES_PATH}: cannot be read (Property List error: Unexpected character); its policy is ignored`,
      ],
    });
  });
});

describe('plutil plist reader', () => {
  it('converts an existing plist to JSON with plutil', async () => {
    const plist = fixturePath('managed-preferences', 'locked-channel.json'); // any existing file
    const run = capturedRunner({ exitCode: 0, stdout: '{"retentionDays":180}', stderr: '' });
    expect(await new PlutilPlistReader(run).readAsJson(plist)).toBe('{"retentionDays":180}');
    expect(run.calls).toEqual([['plutil', ['-convert', 'json', '-o', '-', plist]]]);
  });

  it('answers null without running plutil when there is no plist', async () => {
    const run = capturedRunner({ exitCode: 0, stdout: '', stderr: '' });
    expect(
      await new PlutilPlistReader(run).readAsJson(fixturePath('managed-preferences', 'absent.plist')),
    ).toBeNull();
    expect(run.calls).toEqual([]);
  });

  it('throws plutil’s message when the conversion fails', async () => {
    const run = capturedRunner({ exitCode: 1, stdout: '', stderr: 'file.plist: Property List error\n' });
    await expect(
      new PlutilPlistReader(run).readAsJson(fixturePath('managed-preferences', 'locked-channel.json')),
    ).rejects.toThrow('file.plist: Property List error');
  });
});
