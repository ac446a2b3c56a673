// The one place a transport (Electron IPC or the web host) hands a renderer call to the console:
// the method name is checked against the ConsoleApi, the input against its schema, and every
// outcome comes back as a Result. Nothing the renderer sends reaches the console unvalidated.
import { CONSOLE_METHODS, type ConsoleApi, type ConsoleMethod } from '../../shared/console-api.ts';
import { consoleMethodInputs } from '../../shared/console-api-inputs.ts';
import { fail, ok, toErrorInfo, type Result } from '../../shared/result.ts';

/**
 * What dispatch can call: the whole ConsoleApi, or a part of it (a console core on its own answers
 * everything but sign-in and policy; a method it lacks is refused like an unknown one).
 */
export type DispatchTarget = Partial<Omit<ConsoleApi, 'onEvent'>>;

export function isConsoleMethod(name: unknown): name is ConsoleMethod {
  return typeof name === 'string' && (CONSOLE_METHODS as readonly string[]).includes(name);
}

export async function dispatch(
  api: DispatchTarget,
  method: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  if (!isConsoleMethod(method)) return fail('UNKNOWN_METHOD', `No console method named ${String(method)}`);
  const parsed = consoleMethodInputs[method].safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: toErrorInfo(parsed.error) };
  // The schema map and the ConsoleApi are keyed alike; TypeScript cannot correlate them through a union.
  const call = api[method] as ((input: unknown) => Promise<unknown>) | undefined;
  if (call === undefined) return fail('UNKNOWN_METHOD', `This console does not answer ${method}`);
  try {
    return ok(await call.call(api, parsed.data));
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}
