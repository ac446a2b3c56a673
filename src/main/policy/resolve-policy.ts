// Merges machine policy over user settings. Precedence, highest first:
//   1. registry (Windows) or managed preferences (macOS): what the OS's management tools push;
//   2. the policy file;
//   3. the user's own settings;
//   4. the defaults in policy-keys.ts.
// A locked key ignores user settings entirely: it takes the machine value, or the default when no
// machine source sets it. Locks from every machine source add up. Invalid entries are reported with
// their source and key and skipped, so the next source (finally the safe default) applies to that key
// only; every valid entry beside them still applies.
import {
  DEFAULT_POLICY_VALUES,
  POLICY_KEYS,
  describeInvalid,
  isPolicyKey,
  policyValueSchemas,
  type PolicyKey,
  type PolicyValues,
  type UserSettings,
} from './policy-keys.ts';
import type { PolicyDocument, PolicyReading, SettingSource } from './policy-source.ts';

export interface UserSettingsReading {
  readonly location: string;
  readonly document: PolicyDocument;
}

export interface EffectivePolicy {
  readonly values: PolicyValues;
  /** Keys the user may not change, in POLICY_KEYS order. */
  readonly locked: readonly PolicyKey[];
  /** Which source set each key's value. */
  readonly sources: Readonly<Record<PolicyKey, SettingSource>>;
  /** One clear sentence per problem: the source, the key and what is wrong. */
  readonly problems: readonly string[];
}

/** `machine` is ordered highest precedence first (see machinePolicySources). */
export function resolvePolicy(machine: readonly PolicyReading[], user: UserSettingsReading): EffectivePolicy {
  const problems: string[] = [];
  const locked = new Set<PolicyKey>();
  const machineLayers = machine.map((reading) => {
    problems.push(...reading.document.problems);
    const layer = validEntries(reading.document, reading.location, problems, { allowLocks: true });
    for (const key of layer.locks) locked.add(key);
    return { source: reading.source, values: layer.values };
  });
  problems.push(...user.document.problems);
  const userValues = validEntries(user.document, user.location, problems, { allowLocks: false }).values;

  const values: Record<PolicyKey, unknown> = { ...DEFAULT_POLICY_VALUES };
  const sources = Object.fromEntries(POLICY_KEYS.map((key) => [key, 'default'])) as Record<
    PolicyKey,
    SettingSource
  >;
  for (const key of POLICY_KEYS) {
    const fromMachine = machineLayers.find((layer) => key in layer.values);
    if (fromMachine) {
      values[key] = fromMachine.values[key];
      sources[key] = fromMachine.source;
    } else if (!locked.has(key) && key in userValues) {
      values[key] = userValues[key];
      sources[key] = 'user';
    }
  }
  return {
    values: values as PolicyValues,
    locked: POLICY_KEYS.filter((key) => locked.has(key)),
    sources,
    problems,
  };
}

interface ValidEntries {
  values: UserSettings;
  locks: PolicyKey[];
}

function validEntries(
  document: PolicyDocument,
  location: string,
  problems: string[],
  options: { allowLocks: boolean },
): ValidEntries {
  const valid: ValidEntries = { values: {}, locks: [] };
  const values: Record<string, unknown> = valid.values;
  for (const [name, raw] of Object.entries(document.entries)) {
    if (name === 'locks' && options.allowLocks) {
      valid.locks = validLocks(raw, location, problems);
    } else if (isPolicyKey(name)) {
      const parsed = policyValueSchemas[name].safeParse(raw);
      if (parsed.success) values[name] = parsed.data;
      else
        problems.push(
          `${location}: ${name} ${describeInvalid(parsed.error)} (got ${show(raw)}); ignored, the next source or the default applies`,
        );
    } else {
      const known = [...POLICY_KEYS, ...(options.allowLocks ? ['locks'] : [])].join(', ');
      problems.push(`${location}: ${name} is not a setting Ventana knows (known: ${known}); ignored`);
    }
  }
  return valid;
}

function validLocks(raw: unknown, location: string, problems: string[]): PolicyKey[] {
  if (!Array.isArray(raw)) {
    problems.push(
      `${location}: locks must be a list of setting names (got ${show(raw)}); no lock from this source applies`,
    );
    return [];
  }
  const locks: PolicyKey[] = [];
  for (const entry of raw as unknown[]) {
    if (typeof entry === 'string' && isPolicyKey(entry)) locks.push(entry);
    else
      problems.push(
        `${location}: locks names ${show(entry)}, which is not a setting that can be locked (${POLICY_KEYS.join(', ')}); ignored`,
      );
  }
  return locks;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
