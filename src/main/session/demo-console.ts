// Demo mode's ConsoleApi: signed in from the start as the demo agent (its token lives in memory), so
// there is nothing to sign in to or out of; the policy still answers, as on a real install.
import type { ConsoleApi, PolicyView, SessionInfo } from '../../shared/console-api.ts';
import { CodedError } from '../../shared/result.ts';
import type { ConsoleCore } from '../core/console-core.ts';
import { delegateToCore } from './core-delegation.ts';

export interface DemoConsoleOptions {
  core: ConsoleCore;
  session: SessionInfo;
  policy: () => PolicyView;
}

const demoMode = (): CodedError =>
  new CodedError(
    'DEMO_MODE',
    'This is the demo: it is always signed in as the demo agent. Start Ventana without --demo to sign in to your relay.',
  );

export function demoConsole(options: DemoConsoleOptions): ConsoleApi {
  const { core } = options;
  return {
    ...delegateToCore(() => core),
    getSession: () => Promise.resolve(options.session),
    signIn: () => Promise.reject(demoMode()),
    signOut: () => Promise.reject(demoMode()),
    getPolicy: () => Promise.resolve(options.policy()),
    getSyncStatus: (input) => core.getSyncStatus(input),
    onEvent: (listener) => core.onEvent(listener),
  };
}
