// macOS managed preferences (a configuration profile pushed by MDM) land in
// /Library/Managed Preferences/app.ventana.console.plist, usually as a binary plist. plutil turns it
// into JSON; the keys are the same as in the policy file (relayUrl, locks, retentionDays, updateChannel).
import { access } from 'node:fs/promises';
import type { PolicyDocument, PolicySource } from '../policy-source.ts';
import type { CommandRunner } from '../run-command.ts';
import { parseJsonDocument } from './json-document.ts';

export const MANAGED_PREFERENCES_DOMAIN = 'app.ventana.console';
export const MANAGED_PREFERENCES_PATH = `/Library/Managed Preferences/${MANAGED_PREFERENCES_DOMAIN}.plist`;

/** Reads a plist as JSON text; null when the plist does not exist. Throws with a reason otherwise. */
export interface PlistReader {
  readAsJson(path: string): Promise<string | null>;
}

export class PlutilPlistReader implements PlistReader {
  readonly #run: CommandRunner;

  constructor(run: CommandRunner) {
    this.#run = run;
  }

  async readAsJson(path: string): Promise<string | null> {
    try {
      await access(path);
    } catch {
      return null;
    }
    const result = await this.#run('plutil', ['-convert', 'json', '-o', '-', path]);
    if (result.exitCode !== 0)
      throw new Error(result.stderr.trim() || `plutil exited with ${result.exitCode}`);
    return result.stdout;
  }
}

export class ManagedPreferencesPolicySource implements PolicySource {
  readonly name = 'managed-preferences';
  readonly location: string;
  readonly #reader: PlistReader;

  constructor(reader: PlistReader, path: string = MANAGED_PREFERENCES_PATH) {
    this.#reader = reader;
    this.location = path;
  }

  async read(): Promise<PolicyDocument | null> {
    let json: string | null;
    try {
      json = await this.#reader.readAsJson(this.location);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return {
        entries: {},
        problems: [`${this.location}: cannot be read (${detail}); its policy is ignored`],
      };
    }
    return json === null ? null : parseJsonDocument(json, this.location);
  }
}
