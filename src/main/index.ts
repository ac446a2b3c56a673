// Electron's main entry (built to out/main/index.js, ESM): starts the plain-Node console (app.ts)
// inside the Electron shell. Only src/main/shell touches electron.
import { consoleModeFrom, startConsole } from './app.ts';
import { runShell } from './shell/lifecycle.ts';

// No top-level await: Electron emits `ready` only once this module has finished evaluating.
runShell({
  mainDir: import.meta.dirname,
  startConsole: async (paths) => startConsole({ paths, ...consoleModeFrom(process.argv, process.env) }),
});
