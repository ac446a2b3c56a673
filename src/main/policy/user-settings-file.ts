// The agent's own settings, a small JSON file in the app's data folder. Written atomically
// (temp file + rename) so a crash mid-write never leaves half a file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { UserSettings } from './policy-keys.ts';
import type { UserSettingsReading } from './resolve-policy.ts';
import { parseJsonDocument } from './sources/json-document.ts';

export class UserSettingsFile {
  readonly path: string;

  constructor(filePath: string) {
    this.path = filePath;
  }

  async read(): Promise<UserSettingsReading> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
        return { location: this.path, document: { entries: {}, problems: [] } };
      }
      const detail = error instanceof Error ? error.message : String(error);
      return {
        location: this.path,
        document: { entries: {}, problems: [`${this.path}: cannot be read (${detail}); defaults apply`] },
      };
    }
    return { location: this.path, document: parseJsonDocument(text, this.path) };
  }

  async write(settings: UserSettings): Promise<void> {
    await mkdir(path.dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, 'utf8');
    await rename(temporary, this.path);
  }
}
