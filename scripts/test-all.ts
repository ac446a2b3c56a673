// `npm test`: every tier, each with a JSON report under reports/, then one summary line.
//   1. build the console bundles (the contract, e2e and Electron tests load what ships)
//   2. vitest: unit, integration (real HTTP, WebSocket, SQLite, keyring) and contract tiers
//   3. Playwright: end-to-end in Debian's Chromium against the web host, and the Electron app
// A tier that fails does not stop the next one; the exit code is non-zero if anything failed.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { countPlaywright, countVitest, summaryLine, total } from './report-summary.ts';

const root = join(import.meta.dirname, '..');
process.chdir(root);
rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

function run(label: string, args: string[]): Promise<number> {
  console.log(`\n== ${label}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...args], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

const build = await run('build (electron-vite)', ['node_modules/electron-vite/bin/electron-vite.js', 'build']);
await run('vitest', [
  'node_modules/vitest/vitest.mjs',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=reports/vitest.json',
]);
await run('playwright', ['node_modules/@playwright/test/cli.js', 'test']);

const counts = [countVitest('reports/vitest.json'), countPlaywright('reports/playwright.json')];
console.log('\n== summary');
for (const c of counts) {
  console.log(`${c.tier}: ${c.problem ?? summaryLine(c)}`);
}
const t = total(counts);
const failed = t.failed + (build === 0 ? 0 : 1);
if (build !== 0) console.log('build: failed');
console.log(summaryLine({ ...t, failed }));
process.exit(failed > 0 ? 1 : 0);
