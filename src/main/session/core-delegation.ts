// The ConsoleApi's methods that belong to one account's core, built once as plain functions that look
// the core up at every call: a session console swaps cores underneath without its callers noticing.
import {
  CONSOLE_METHODS,
  type ConsoleMethod,
  type ConsoleOutputs,
  type ConsoleParsedInput,
} from '../../shared/console-api.ts';

/** Answered by the session itself, never by a core. */
export const SESSION_METHODS = ['getSession', 'signIn', 'signOut', 'getPolicy', 'getSyncStatus'] as const;
export type SessionMethod = (typeof SESSION_METHODS)[number];
export type CoreMethod = Exclude<ConsoleMethod, SessionMethod>;

/** ConsoleApi's methods as one mapped type, so indexing it with a generic method keeps the pairing. */
type ApiMethods = { [M in ConsoleMethod]: (input: ConsoleParsedInput<M>) => Promise<ConsoleOutputs[M]> };
export type CoreMethods = Pick<ApiMethods, CoreMethod>;

const isCoreMethod = (method: ConsoleMethod): method is CoreMethod =>
  !(SESSION_METHODS as readonly string[]).includes(method);

/** `core()` answers the core to call, or throws the refusal (e.g. NOT_SIGNED_IN). */
export function delegateToCore(core: () => CoreMethods): CoreMethods {
  return Object.fromEntries(
    CONSOLE_METHODS.filter(isCoreMethod).map((method) => [method, delegate(method, core)]),
  ) as CoreMethods;
}

function delegate<M extends CoreMethod>(
  method: M,
  core: () => CoreMethods,
): (input: ConsoleParsedInput<M>) => Promise<ConsoleOutputs[M]> {
  return async (input) => {
    const target: CoreMethods = core();
    return target[method].call(target, input);
  };
}
