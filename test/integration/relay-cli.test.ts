// `npm run relay` as a real child process: configuration errors, adding an agent, and serving with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const nodeScript = join(root, 'scripts/node');
const cli = join(root, 'src/relay/cli.ts');

let dir: string;
let children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-relay-cli-'));
  children = [];
});
afterEach(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** The environment without any VENTANA_* the developer may have set, plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VENTANA_')));
  return { ...env, ...extra };
}

function validEnv(): Record<string, string> {
  return {
    VENTANA_APP_SECRET: 'cli-secret',
    VENTANA_VERIFY_TOKEN: 'cli-verify',
    VENTANA_ACCESS_TOKEN: 'cli-access',
    VENTANA_WABA_ID: '310000000000001',
    VENTANA_PORT: '0',
    VENTANA_DB_PATH: join(dir, 'relay.sqlite'),
    VENTANA_LOG_LEVEL: 'warn',
  };
}

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(nodeScript, [cli, ...args], { env: envWith(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

async function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('relay CLI', () => {
  it('exits 78 listing every configuration problem', async () => {
    const { code, stderr } = await run(['serve'], {
      VENTANA_PORT: 'eighty',
      VENTANA_WABA_ID: '310000000000001',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('VENTANA_PORT="eighty" is not a whole number');
    for (const key of ['appSecret', 'verifyToken', 'accessToken'])
      expect(stderr).toContain(`${key}: required`);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    const bad = await run(
      ['agent', 'add', '--name', 'Ana', '--role', 'boss', '--numbers', 'all'],
      validEnv(),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/role/);
    expect(bad.stderr).toContain('Usage:');
    expect((await run(['agent', 'remove'], validEnv())).code).toBe(2);
    expect((await run(['--port', '1'], validEnv())).code).toBe(2);
  });

  it('adds an agent whose token the served relay then accepts, and stops gracefully on SIGTERM', async () => {
    const added = await run(
      [
        'agent',
        'add',
        '--name',
        'Ana López',
        '--role',
        'agent',
        '--numbers',
        '420000000000001, 420000000000002',
      ],
      validEnv(),
    );
    expect(added.code).toBe(0);
    const token = /^(vnt_[A-Za-z0-9_-]{43})$/m.exec(added.stdout)?.[1];
    expect(token).toBeDefined();

    const relay = start(['serve'], validEnv());
    const lines = createInterface({ input: relay.stdout! });
    let url: string | undefined;
    for await (const line of lines) {
      url = /listening at (http:\/\/\S+)/.exec(line)?.[1];
      if (url !== undefined) break;
    }
    const me = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      agent: { name: 'Ana López', role: 'agent', numbers: ['420000000000001', '420000000000002'] },
    });

    relay.kill('SIGTERM');
    const [code] = (await once(relay, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
