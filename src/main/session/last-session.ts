// The session to reopen at the next launch: which relay and which agent, never the token (that lives
// in the keychain only). With it the console opens the right cache and works offline at once,
// without asking the relay who the token belongs to.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { agentSchema, type Agent } from '../../shared/domain.ts';

const lastSessionSchema = z.object({ relayUrl: z.string().min(1), agent: agentSchema });
export type LastSession = z.infer<typeof lastSessionSchema>;

export class LastSessionFile {
  readonly path: string;

  constructor(userData: string) {
    this.path = join(userData, 'session.json');
  }

  /** null when there is none, or when the file is unreadable (the agent then simply signs in again). */
  read(): LastSession | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = lastSessionSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Written atomically (temp file + rename): a crash mid-write never leaves half a file. */
  write(relayUrl: string, agent: Agent): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ relayUrl, agent } satisfies LastSession, null, 2)}\n`);
    renameSync(temporary, this.path);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}
