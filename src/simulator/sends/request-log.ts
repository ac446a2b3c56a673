// Every POST /messages request the simulator received, with what became of it, and the read
// receipts it accepted. Tests count Graph calls here: a send that was refused, failed or never
// answered is an attempt, not a send.
export type AttemptOutcome = 'accepted' | 'rejected' | 'hung' | 'refused';

export interface RecordedAttempt {
  phoneNumberId: string;
  /** The recipient as given; null for a mark-read or a request refused before it was read. */
  to: string | null;
  /** text, template, image, ..., 'read' for a mark-read; null when the request was not read. */
  type: string | null;
  outcome: AttemptOutcome;
  /** The HTTP status answered; null when nothing was answered. */
  httpStatus: number | null;
  /** The error code answered (Meta's `error.code`); null otherwise. */
  errorCode: number | null;
  /** The id of the accepted send (also for a hung or 5xx-answered send Meta carried out). */
  wamid: string | null;
  /** Simulator clock, ms. */
  at: number;
}

export interface RecordedRead {
  phoneNumberId: string;
  messageId: string;
  typingIndicator: boolean;
  at: number;
}

export class RequestLog {
  readonly #attempts: RecordedAttempt[] = [];
  readonly #reads: RecordedRead[] = [];

  attempt(attempt: RecordedAttempt): void {
    this.#attempts.push(attempt);
  }

  read(read: RecordedRead): void {
    this.#reads.push(read);
  }

  attempts(): RecordedAttempt[] {
    return this.#attempts.map((attempt) => ({ ...attempt }));
  }

  reads(): RecordedRead[] {
    return this.#reads.map((read) => ({ ...read }));
  }
}
