// `events` frames from logged events, as one agent may see them. Events are forwarded as the JSON the
// log stored (serialized once, shared by every console), and frames stay under the frame size limit.
import type { Agent } from '../../shared/domain.ts';
import { MAX_FRAME_BYTES } from '../../shared/protocol.ts';
import { canSeeEvent } from '../agents/visibility.ts';
import type { StoredEvent } from '../store/relay-store.ts';

/** Room left for the frame's own keys around the events. */
const FRAME_BUDGET = MAX_FRAME_BYTES - 1024;

const eventsFrame = (events: string[], cursor: number): string =>
  `{"type":"events","events":[${events.join(',')}],"cursor":${cursor}}`;

/**
 * Frames covering `events` (oldest first). Events the agent may not see are left out but still covered
 * by the cursor, so the last frame's cursor is always the last event's seq.
 */
export function eventFrames(
  events: readonly StoredEvent[],
  agent: Agent,
  budget: number = FRAME_BUDGET,
): string[] {
  const frames: string[] = [];
  let batch: string[] = [];
  let batchBytes = 0;
  let coveredSeq = 0;
  for (const event of events) {
    if (canSeeEvent(agent, event)) {
      const bytes = Buffer.byteLength(event.json) + 1;
      if (batch.length > 0 && batchBytes + bytes > budget) {
        frames.push(eventsFrame(batch, coveredSeq));
        batch = [];
        batchBytes = 0;
      }
      batch.push(event.json);
      batchBytes += bytes;
    }
    coveredSeq = event.seq;
  }
  if (events.length > 0) frames.push(eventsFrame(batch, coveredSeq));
  return frames;
}

/**
 * Agents who may see the same events share one key: every admin; every supervisor and every agent of
 * all numbers; agents with the same set of numbers.
 */
export function visibilityKey(agent: Agent): string {
  if (agent.role === 'admin') return 'admin';
  if (agent.role === 'supervisor' || agent.numbers === 'all') return 'all-numbers';
  return `numbers:${[...agent.numbers].sort().join(',')}`;
}

/**
 * The live frames of one commit, encoded once per visibility key and shared as the same bytes by
 * every console with that key: fan-out to hundreds of consoles costs one encoding, not hundreds.
 */
export class SharedEventFrames {
  readonly #events: readonly StoredEvent[];
  readonly #byVisibility = new Map<string, Buffer[]>();

  constructor(events: readonly StoredEvent[]) {
    this.#events = events;
  }

  get events(): readonly StoredEvent[] {
    return this.#events;
  }

  for(agent: Agent): Buffer[] {
    const key = visibilityKey(agent);
    let frames = this.#byVisibility.get(key);
    if (frames === undefined) {
      frames = eventFrames(this.#events, agent).map((frame) => Buffer.from(frame));
      this.#byVisibility.set(key, frames);
    }
    return frames;
  }
}
