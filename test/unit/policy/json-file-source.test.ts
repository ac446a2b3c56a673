import { describe, expect, it } from 'vitest';
import { readSource } from '../../../src/main/policy/policy-source.ts';
import { resolvePolicy } from '../../../src/main/policy/resolve-policy.ts';
import { JsonFilePolicySource } from '../../../src/main/policy/sources/json-file-source.ts';
import { fixturePath, userSettings } from './fixtures.ts';

async function fromFile(name: string, user: Record<string, unknown> = {}) {
  const reading = await readSource(new JsonFilePolicySource(fixturePath('file', name)));
  return resolvePolicy(reading ? [reading] : [], userSettings(user));
}

describe('policy file source', () => {
  it('applies the file over user settings and ignores the user value of a locked key', async () => {
    const policy = await fromFile('locked-relay.json', {
      relayUrl: 'https://elsewhere.example',
      updateChannel: 'beta',
    });
    expect(policy.values).toEqual({
      relayUrl: 'https://relay.acme.example',
      retentionDays: 30,
      updateChannel: 'beta',
    });
    expect(policy.locked).toEqual(['relayUrl']);
    expect(policy.sources).toEqual({ relayUrl: 'file', retentionDays: 'file', updateChannel: 'user' });
    expect(policy.problems).toEqual([]);
  });

  it('reports each bad entry with file, key and problem, keeps the good ones, and defaults the bad ones', async () => {
    const location = fixturePath('file', 'invalid-entries.json');
    const policy = await fromFile('invalid-entries.json');
    expect(policy.values).toEqual({ relayUrl: null, retentionDays: 90, updateChannel: 'beta' });
    expect(policy.sources).toEqual({ relayUrl: 'default', retentionDays: 'default', updateChannel: 'file' });
    expect(policy.locked).toEqual(['retentionDays']);
    expect(policy.problems).toEqual([
      `${location}: relayUrl must be an http:// or https:// URL (got "ftp://relay.acme.example"); ignored, the next source or the default applies`,
      `${location}: retentionDays must be a whole number of days (got "thirty"); ignored, the next source or the default applies`,
      `${location}: autoUpdate is not a setting Ventana knows (known: relayUrl, retentionDays, updateChannel, locks); ignored`,
      `${location}: locks names "theme", which is not a setting that can be locked (relayUrl, retentionDays, updateChannel); ignored`,
    ]);
  });

  it('names the file when it is not valid JSON and falls back to user settings', async () => {
    const policy = await fromFile('truncated.json', { retentionDays: 7 });
    expect(policy.problems).toHaveLength(1);
    expect(policy.problems[0]).toMatch(/truncated\.json: is not valid JSON \(.+\); its policy is ignored$/);
    expect(policy.values.retentionDays).toBe(7);
    expect(policy.locked).toEqual([]);
  });

  it('rejects a file that is not an object of settings', async () => {
    const policy = await fromFile('array.json');
    expect(policy.problems).toEqual([
      `${fixturePath('file', 'array.json')}: must hold a JSON object of settings; its policy is ignored`,
    ]);
  });

  it('treats a missing file as no policy, without a problem', async () => {
    expect(await new JsonFilePolicySource(fixturePath('file', 'absent.json')).read()).toBeNull();
  });
});
