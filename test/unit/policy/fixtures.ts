// Shared helpers: fixture paths, an empty user settings reading, and a command runner that answers
// with captured output (the only stand-in: reg and plutil do not exist on this machine).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { UserSettingsReading } from '../../../src/main/policy/resolve-policy.ts';
import type { CommandOutput, CommandRunner } from '../../../src/main/policy/run-command.ts';

export const fixturePath = (...parts: string[]): string =>
  path.join(import.meta.dirname, '../../fixtures/policy', ...parts);
export const fixtureText = (...parts: string[]): string => readFileSync(fixturePath(...parts), 'utf8');

export function userSettings(entries: Record<string, unknown> = {}): UserSettingsReading {
  return { location: 'user settings', document: { entries, problems: [] } };
}

/** Answers every command with `output` and remembers what was run. */
export function capturedRunner(
  output: CommandOutput,
): CommandRunner & { calls: Array<[string, readonly string[]]> } {
  const calls: Array<[string, readonly string[]]> = [];
  const run = (file: string, args: readonly string[]): Promise<CommandOutput> => {
    calls.push([file, args]);
    return Promise.resolve(output);
  };
  return Object.assign(run, { calls });
}
