// `npm start`: the Electron app in demo mode; where no Electron binary can be had, says why and
// starts the same demo through the web host instead.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary.ts';

const root = join(import.meta.dirname, '..');
const nodeArgs = ['--disable-warning=ExperimentalWarning'];

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

console.log('Building the console (electron-vite)…');
const built = await run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
if (built !== 0) process.exit(built);

const electron = findElectronBinary(root);
if (electron.ok) {
  process.exit(await run(electron.path, [join(root, 'out/main/index.js'), '--demo']));
}
console.log(`\nElectron cannot start here: ${electron.reason}.`);
console.log('Starting the same demo through the web host instead: open the console URL below in a browser.\n');
process.exit(await run(process.execPath, [...nodeArgs, join(root, 'src/main/web-demo.ts')]));
