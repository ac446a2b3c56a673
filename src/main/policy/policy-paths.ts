// Which machine sources apply on which platform, and where they live. Platform and environment are
// passed in so every platform's layout is testable on any machine.
import path from 'node:path';
import type { PolicySource } from './policy-source.ts';
import type { CommandRunner } from './run-command.ts';
import { JsonFilePolicySource } from './sources/json-file-source.ts';
import {
  ManagedPreferencesPolicySource,
  PlutilPlistReader,
  type PlistReader,
} from './sources/managed-preferences-source.ts';
import { RegistryPolicySource } from './sources/registry-source.ts';

export interface PlatformContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function policyFilePath({ platform, env }: PlatformContext): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(
        env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData',
        'Ventana',
        'policy.json',
      );
    case 'darwin':
      return '/Library/Application Support/Ventana/policy.json';
    default:
      return '/etc/ventana/policy.json';
  }
}

export interface SourceTools {
  /** Runs reg (Windows) and plutil (macOS). */
  readonly run: CommandRunner;
  readonly plistReader?: PlistReader;
}

/** The machine sources for this platform, highest precedence first. */
export function machinePolicySources(context: PlatformContext, tools: SourceTools): PolicySource[] {
  const file = new JsonFilePolicySource(policyFilePath(context));
  switch (context.platform) {
    case 'win32':
      return [new RegistryPolicySource(tools.run), file];
    case 'darwin':
      return [
        new ManagedPreferencesPolicySource(tools.plistReader ?? new PlutilPlistReader(tools.run)),
        file,
      ];
    default:
      return [file];
  }
}
