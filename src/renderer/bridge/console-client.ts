// The renderer's view of the console: typed calls that resolve with the value or throw a
// ConsoleCallError carrying the stable code, whichever transport carries them.
import type {
  ConsoleBridge,
  ConsoleEventListener,
  ConsoleInput,
  ConsoleMethod,
  ConsoleOutputs,
  Unsubscribe,
} from '../../shared/console-api.ts';
import { CodedError, type ErrorInfo, type Result } from '../../shared/result.ts';

export class ConsoleCallError extends CodedError {
  readonly method: ConsoleMethod;
  constructor(method: ConsoleMethod, error: ErrorInfo) {
    super(error.code, error.message);
    this.name = 'ConsoleCallError';
    this.method = method;
  }
}

export interface ConsoleClient {
  call<M extends ConsoleMethod>(method: M, input: ConsoleInput<M>): Promise<ConsoleOutputs[M]>;
  onEvent(listener: ConsoleEventListener): Unsubscribe;
}

export function createConsoleClient(bridge: ConsoleBridge): ConsoleClient {
  return {
    async call(method, input) {
      // The bridge's methods are keyed like ConsoleMethod; TypeScript cannot follow M through the union.
      const invoke = bridge[method] as (input: unknown) => Promise<Result<ConsoleOutputs[typeof method]>>;
      let result: Result<ConsoleOutputs[typeof method]>;
      try {
        result = await invoke(input);
      } catch (error) {
        // A transport that throws instead of answering a Result is itself the problem to show.
        throw new ConsoleCallError(method, {
          code: 'BRIDGE_FAILED',
          message: error instanceof Error ? error.message : String(error),
        });
      }
      if (!result.ok) throw new ConsoleCallError(method, result.error);
      return result.value;
    },
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
