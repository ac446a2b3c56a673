// The policy file IT drops on the machine: %ProgramData%\Ventana\policy.json,
// /Library/Application Support/Ventana/policy.json or /etc/ventana/policy.json (see policy-paths.ts).
import { readFile } from 'node:fs/promises';
import type { PolicyDocument, PolicySource } from '../policy-source.ts';
import { parseJsonDocument } from './json-document.ts';

export class JsonFilePolicySource implements PolicySource {
  readonly name = 'file';
  readonly location: string;

  constructor(path: string) {
    this.location = path;
  }

  async read(): Promise<PolicyDocument | null> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if (isMissing(error)) return null;
      const detail = error instanceof Error ? error.message : String(error);
      return {
        entries: {},
        problems: [`${this.location}: cannot be read (${detail}); its policy is ignored`],
      };
    }
    return parseJsonDocument(text, this.location);
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}
