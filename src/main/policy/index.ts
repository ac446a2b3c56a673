// Machine policy for IT: settings an organization sets or locks for every console on a machine.
export {
  DEFAULT_POLICY_VALUES,
  POLICY_KEYS,
  type PolicyKey,
  type PolicyValues,
  type UserSettings,
} from './policy-keys.ts';
export type { MachineSourceName, PolicyDocument, PolicySource, SettingSource } from './policy-source.ts';
export { resolvePolicy, type EffectivePolicy, type UserSettingsReading } from './resolve-policy.ts';
export { machinePolicySources, policyFilePath, type PlatformContext } from './policy-paths.ts';
export { PolicySettings, type PolicySettingsOptions } from './policy-settings.ts';
export { runCommand, type CommandRunner } from './run-command.ts';
