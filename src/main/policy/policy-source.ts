// A place a machine policy can come from. Each source only reads and reshapes its raw form into the
// canonical document (keys relayUrl, locks, retentionDays, updateChannel, values still unchecked);
// validation happens once, in resolve-policy.ts, so every source reports problems the same way.

export type MachineSourceName = 'registry' | 'managed-preferences' | 'file';
export type SettingSource = MachineSourceName | 'user' | 'default';

export interface PolicyDocument {
  /** Canonical key -> raw value as the source holds it; unknown keys are kept so they can be reported. */
  readonly entries: Readonly<Record<string, unknown>>;
  /** Problems found while reading (unreadable file, bad JSON, unknown value names ...). */
  readonly problems: readonly string[];
}

export interface PolicySource {
  readonly name: MachineSourceName;
  /** Where it reads from, for messages an administrator can act on. */
  readonly location: string;
  /** Resolves to null when this machine has no policy in this source. Never rejects. */
  read(): Promise<PolicyDocument | null>;
}

export interface PolicyReading {
  readonly source: MachineSourceName;
  readonly location: string;
  readonly document: PolicyDocument;
}

export async function readSource(source: PolicySource): Promise<PolicyReading | null> {
  const document = await source.read();
  return document && { source: source.name, location: source.location, document };
}
