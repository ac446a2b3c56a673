// The settings the console runs with: machine policy merged over the user's settings, and the one
// way to change a user setting (refused for keys IT has locked).
import { CodedError } from '../../shared/result.ts';
import { POLICY_KEYS, describeInvalid, policyValueSchemas, type PolicyKey } from './policy-keys.ts';
import { readSource, type PolicyReading, type PolicySource } from './policy-source.ts';
import { resolvePolicy, type EffectivePolicy, type UserSettingsReading } from './resolve-policy.ts';
import { UserSettingsFile } from './user-settings-file.ts';

export interface PolicySettingsOptions {
  /** Highest precedence first; machinePolicySources() gives the platform's list. */
  readonly sources: readonly PolicySource[];
  readonly userSettingsPath: string;
}

export class PolicySettings {
  readonly #machine: readonly PolicyReading[];
  readonly #userFile: UserSettingsFile;
  #user: UserSettingsReading;
  #effective: EffectivePolicy;

  private constructor(
    machine: readonly PolicyReading[],
    userFile: UserSettingsFile,
    user: UserSettingsReading,
  ) {
    this.#machine = machine;
    this.#userFile = userFile;
    this.#user = user;
    this.#effective = resolvePolicy(machine, user);
  }

  /** Reads every machine source once: policy changes take effect at the next start, like Group Policy for most apps. */
  static async open(options: PolicySettingsOptions): Promise<PolicySettings> {
    const readings = await Promise.all(options.sources.map(readSource));
    const userFile = new UserSettingsFile(options.userSettingsPath);
    return new PolicySettings(
      readings.filter((reading) => reading !== null),
      userFile,
      await userFile.read(),
    );
  }

  get effective(): EffectivePolicy {
    return this.#effective;
  }

  /** Saves a user setting and answers the new effective policy. Throws SETTING_LOCKED or INVALID_SETTING. */
  async setUserSetting<K extends PolicyKey>(key: K, value: unknown): Promise<EffectivePolicy> {
    if (this.#effective.locked.includes(key)) {
      throw new CodedError(
        'SETTING_LOCKED',
        `${key} is locked by your organization's policy and cannot be changed here.`,
      );
    }
    const parsed = policyValueSchemas[key].safeParse(value);
    if (!parsed.success) throw new CodedError('INVALID_SETTING', `${key} ${describeInvalid(parsed.error)}.`);
    // Rewrite only the valid known settings: a corrupt file heals on the first change.
    const settings: Record<string, unknown> = { ...this.#validUserSettings(), [key]: parsed.data };
    await this.#userFile.write(settings);
    this.#user = { location: this.#userFile.path, document: { entries: settings, problems: [] } };
    this.#effective = resolvePolicy(this.#machine, this.#user);
    return this.#effective;
  }

  #validUserSettings(): Record<string, unknown> {
    const valid: Record<string, unknown> = {};
    for (const key of POLICY_KEYS) {
      const parsed = policyValueSchemas[key].safeParse(this.#user.document.entries[key]);
      if (parsed.success) valid[key] = parsed.data;
    }
    return valid;
  }
}
