// Fans console events out to whoever listens (the IPC binding, the web host, tests). A listener
// that throws must not stop the others or the sync that raised the event.
import type { ConsoleEvent, ConsoleEventListener, Unsubscribe } from '../../shared/console-api.ts';

export class EventHub {
  readonly #listeners = new Set<ConsoleEventListener>();

  on(listener: ConsoleEventListener): Unsubscribe {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: ConsoleEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // The listener's own problem; the event still reaches the rest.
      }
    }
  }
}
