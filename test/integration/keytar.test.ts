// KeytarVault against a real Secret Service: gnome-keyring inside a private D-Bus session that the
// test starts itself, with HOME and XDG_* in a fresh temp dir so nothing touches the real keyring.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const child = join(import.meta.dirname, '../helpers/console-keytar-child.ts');
const home = mkdtempSync(join(tmpdir(), 'ventana-keytar-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const childReport = z.union([
  z.object({
    ok: z.literal(true),
    before: z.string().nullable(),
    stored: z.string().nullable(),
    deleted: z.boolean(),
    afterDelete: z.string().nullable(),
    deletedAgain: z.boolean(),
  }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** An environment with a private home and no way to reach any desktop session. */
function isolatedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8', NODE: process.execPath };
  for (const [name, dir] of [
    ['HOME', 'home'],
    ['XDG_DATA_HOME', 'data'],
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_CACHE_HOME', 'cache'],
    ['XDG_RUNTIME_DIR', 'runtime'],
  ] as const) {
    const path = join(home, dir);
    mkdirSync(path, { recursive: true, mode: 0o700 });
    env[name] = path;
  }
  return env;
}

function run(command: string, args: string[]): Promise<z.infer<typeof childReport>> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env: isolatedEnv(), timeout: 30_000 }, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (error && !line) {
        reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
        return;
      }
      try {
        resolve(childReport.parse(JSON.parse(line)));
      } catch {
        reject(new Error(`the keytar child printed no report:\n${stdout}\n${stderr}`));
      }
    });
  });
}

const nodeArgs = ['--disable-warning=ExperimentalWarning', child];

describe('KeytarVault', () => {
  it('stores, reads and deletes a token in a real gnome-keyring', async () => {
    const report = await run('dbus-run-session', [
      '--',
      'sh',
      '-c',
      `echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$NODE" ${nodeArgs.map((a) => `'${a}'`).join(' ')} agent-7@relay.example s3cret-token`,
    ]);
    expect(report).toEqual({
      ok: true,
      before: null,
      stored: 's3cret-token',
      deleted: true,
      afterDelete: null,
      deletedAgain: false,
    });
  });

  it('reports KEYCHAIN_UNAVAILABLE, never a fallback, when no Secret Service is reachable', async () => {
    const report = await run(process.execPath, [...nodeArgs, 'agent-7@relay.example', 's3cret-token']);
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(report.error.message).toMatch(/keychain/i);
  });
});
