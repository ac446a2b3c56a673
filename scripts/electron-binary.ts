// Where the Electron binary is, or why there is none. The electron package downloads its binary on
// first use from a host some machines cannot reach; then node_modules/electron/path.txt or the file it
// names is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

export function findElectronBinary(root: string): ElectronBinary {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(pkg)) return { ok: false, reason: 'the electron package is not installed (run scripts/setup.sh)' };
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      ok: false,
      reason:
        'the Electron binary was never downloaded (node_modules/electron/path.txt is missing); ' +
        'the electron package fetches it on first use from a host this machine cannot reach',
    };
  }
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { ok: true, path: binary } : { ok: false, reason: `the Electron binary ${binary} is missing` };
}
