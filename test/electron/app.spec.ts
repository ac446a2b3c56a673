// The real Electron app on the built bundles (out/main/index.js) in demo mode: its first window shows
// the inbox. It runs wherever an Electron binary exists; where the electron package could not fetch
// one (its download host is unreachable from some machines) it skips and prints why.
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../../scripts/electron-binary.ts';

const root = join(import.meta.dirname, '..', '..');
const binary = findElectronBinary(root);

test('the first window shows the demo inbox', async () => {
  if (!binary.ok) {
    const reason = `no Electron binary: ${binary.reason}`;
    console.log(`[electron] skipped: ${reason}`);
    test.skip(true, reason);
    return;
  }
  // A throwaway profile: the demo keeps its data under userData, which --user-data-dir moves.
  const userData = mkdtempSync(join(tmpdir(), 'ventana-electron-'));
  // Demo mode, on the built page: no relay configured, no dev server.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && entry[0] !== 'VENTANA_RELAY_URL' && entry[0] !== 'ELECTRON_RENDERER_URL',
    ),
  );
  const app = await electron.launch({
    executablePath: binary.path,
    args: [join(root, 'out', 'main', 'index.js'), '--demo', `--user-data-dir=${userData}`],
    cwd: root,
    env,
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('conversation-item').first()).toBeVisible({ timeout: 30_000 });
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
