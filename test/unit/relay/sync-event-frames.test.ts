// `events` frames as one agent may see them: its numbers (supervisors and admins: all), account-wide
// events for everyone except alerts (admins only), cursors covering what was left out, size limits.
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/shared/domain.ts';
import type { RelayEventType } from '../../../src/shared/protocol.ts';
import { SharedEventFrames, eventFrames } from '../../../src/relay/sync/event-frames.ts';
import type { StoredEvent } from '../../../src/relay/store/relay-store.ts';

const agentOfA: Agent = { id: 'agt_a', name: 'A', role: 'agent', numbers: ['A'] };
const supervisor: Agent = { id: 'agt_s', name: 'S', role: 'supervisor', numbers: [] };
const admin: Agent = { id: 'agt_x', name: 'X', role: 'admin', numbers: 'all' };

const event = (
  seq: number,
  phoneNumberId: string | null,
  type: RelayEventType = 'message.upserted',
): StoredEvent => ({
  seq,
  type,
  phoneNumberId,
  json: JSON.stringify({ seq, phoneNumberId, pad: 'x'.repeat(40) }),
});

const parse = (frames: string[]) =>
  frames.map((frame) => JSON.parse(frame) as { type: string; events: { seq: number }[]; cursor: number });
const seqsOf = (frames: string[]) => parse(frames).flatMap((frame) => frame.events.map((e) => e.seq));

describe('eventFrames', () => {
  const log = [
    event(1, 'A'),
    event(2, 'B'),
    event(3, 'A'),
    event(4, null, 'template.upserted'),
    event(5, 'B'),
  ];

  it('leaves out what an agent may not see, while the cursor covers it', () => {
    const [frame, ...rest] = parse(eventFrames(log, agentOfA));
    expect(rest).toEqual([]);
    expect(frame).toMatchObject({ type: 'events', cursor: 5 });
    expect(frame!.events.map((e) => e.seq)).toEqual([1, 3, 4]);
  });

  it('shows supervisors every number', () => {
    expect(seqsOf(eventFrames(log, supervisor))).toEqual([1, 2, 3, 4, 5]);
  });

  it('shows alerts to admins only', () => {
    const withAlerts = [event(1, 'A'), event(2, null, 'alert.raised'), event(3, 'A', 'alert.raised')];
    expect(seqsOf(eventFrames(withAlerts, admin))).toEqual([1, 2, 3]);
    expect(seqsOf(eventFrames(withAlerts, supervisor))).toEqual([1]);
    expect(seqsOf(eventFrames(withAlerts, agentOfA))).toEqual([1]);
    expect(parse(eventFrames(withAlerts, agentOfA))[0]!.cursor).toBe(3);
  });

  it('splits into frames under the byte budget, each cursor at the last event it covers', () => {
    const frames = eventFrames(log, supervisor, 150);
    expect(frames.every((frame) => Buffer.byteLength(frame) < 150 + 60)).toBe(true);
    const parsed = parse(frames);
    expect(parsed.flatMap((f) => f.events.map((e) => e.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.map((f) => f.cursor)).toEqual(parsed.map((f) => f.events.at(-1)!.seq));
  });

  it('still advances the cursor when nothing in the batch is visible', () => {
    expect(parse(eventFrames([event(7, 'B'), event(8, 'B')], agentOfA))).toEqual([
      { type: 'events', events: [], cursor: 8 },
    ]);
  });
});

describe('SharedEventFrames', () => {
  const commit = [event(1, 'A'), event(2, 'B'), event(3, null, 'alert.raised')];
  const text = (frames: Buffer[]) => frames.map((frame) => frame.toString('utf8'));

  it('gives each console exactly the frames eventFrames would give it', () => {
    const shared = new SharedEventFrames(commit);
    for (const agent of [agentOfA, supervisor, admin]) {
      expect(text(shared.for(agent))).toEqual(eventFrames(commit, agent));
    }
  });

  it('encodes once per visibility: consoles that see the same share the same bytes', () => {
    const shared = new SharedEventFrames(commit);
    const otherAgentOfA: Agent = { ...agentOfA, id: 'agt_a2' };
    const agentOfAll: Agent = { id: 'agt_all', name: 'T', role: 'agent', numbers: 'all' };
    expect(shared.for(otherAgentOfA)).toBe(shared.for(agentOfA));
    expect(shared.for(agentOfAll)).toBe(shared.for(supervisor));
    expect(shared.for(admin)).not.toBe(shared.for(supervisor));
  });
});
