// Group Policy for Windows: values under HKLM\Software\Policies\Ventana, read with `reg query`.
// Value names are the settings in PascalCase (RelayUrl, RetentionDays as REG_DWORD, UpdateChannel);
// a setting is locked by `<Name>Locked` = 1 (REG_DWORD), or by listing it in Locks (REG_MULTI_SZ).
import { POLICY_KEYS, type PolicyKey } from '../policy-keys.ts';
import type { PolicyDocument, PolicySource } from '../policy-source.ts';
import type { CommandRunner } from '../run-command.ts';
import { parseRegQueryOutput, type RegistryValue } from './registry-output.ts';

export const POLICY_REGISTRY_KEY = 'HKLM\\Software\\Policies\\Ventana';

export class RegistryPolicySource implements PolicySource {
  readonly name = 'registry';
  readonly location = POLICY_REGISTRY_KEY;
  readonly #run: CommandRunner;

  constructor(run: CommandRunner) {
    this.#run = run;
  }

  async read(): Promise<PolicyDocument | null> {
    const result = await this.#run('reg', ['query', POLICY_REGISTRY_KEY]);
    // reg exits with 1 when the key does not exist: this machine has no registry policy.
    if (result.exitCode === 1 && /unable to find/i.test(result.stderr)) return null;
    if (result.exitCode !== 0) {
      const detail = result.stderr.trim() || `exit code ${result.exitCode}`;
      return {
        entries: {},
        problems: [`${this.location}: cannot be read (${detail}); its policy is ignored`],
      };
    }
    return registryDocument(result.stdout, this.location);
  }
}

/** Maps the values of `reg query` output to the canonical policy document. */
export function registryDocument(output: string, location: string = POLICY_REGISTRY_KEY): PolicyDocument {
  const parsed = parseRegQueryOutput(output);
  const problems = parsed.problems.map((problem) => `${location}\\${problem}`);
  const entries: Record<string, unknown> = {};
  const locks: string[] = [];
  for (const [name, value] of parsed.values) {
    const lockedKey = name.toLowerCase().endsWith('locked')
      ? canonicalKey(name.slice(0, -'locked'.length))
      : undefined;
    if (lockedKey) {
      if (value === 1) locks.push(lockedKey);
      else if (value !== 0)
        problems.push(`${location}\\${name}: must be a REG_DWORD of 1 (locked) or 0 (not locked); ignored`);
    } else if (name.toLowerCase() === 'locks') {
      if (typeof value === 'object') locks.push(...value.map((lock) => canonicalKey(lock) ?? lock));
      else problems.push(`${location}\\${name}: must be a REG_MULTI_SZ list of setting names; ignored`);
    } else {
      entries[canonicalKey(name) ?? name] = value satisfies RegistryValue;
    }
  }
  if (locks.length > 0) entries.locks = locks;
  return { entries, problems };
}

/** Registry names are case-insensitive: RelayUrl, RELAYURL and relayUrl all name relayUrl. */
function canonicalKey(name: string): PolicyKey | undefined {
  return POLICY_KEYS.find((key) => key.toLowerCase() === name.toLowerCase());
}
