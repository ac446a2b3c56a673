// `npm run relay` as a real child process, with a clean VENTANA_* environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');
const nodeScript = join(root, 'scripts/node');
const cli = join(root, 'src/relay/cli.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A complete relay environment around `dbPath` (the secrets are placeholders: agent commands never use them). */
export function relayCliEnv(dbPath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    VENTANA_APP_SECRET: 'cli-secret',
    VENTANA_VERIFY_TOKEN: 'cli-verify',
    VENTANA_ACCESS_TOKEN: 'cli-access',
    VENTANA_WABA_ID: '310000000000001',
    VENTANA_PORT: '0',
    VENTANA_DB_PATH: dbPath,
    VENTANA_LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Starts the CLI; the environment is this process's without any VENTANA_* the developer set, plus `env`. */
export function startRelayCli(args: string[], env: Record<string, string>): ChildProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VENTANA_')),
  );
  return spawn(nodeScript, [cli, ...args], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to its end. */
export async function runRelayCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const child = startRelayCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
