// The delivery mark each status shows on an outbound bubble.
import { describe, expect, it } from 'vitest';
import { ticksFor } from '../../../src/renderer/format/message-ticks.ts';
import type { MessageStatus } from '../../../src/shared/domain.ts';

const out = (status: MessageStatus, pending = false) => ticksFor({ direction: 'out', status, pending });

describe('message ticks', () => {
  it('maps every outbound status to its mark', () => {
    expect(out('queued')).toEqual({ glyph: 'clock', tone: 'muted', label: 'queued' });
    expect(out('accepted')).toEqual({ glyph: 'check', tone: 'muted', label: 'accepted' });
    expect(out('sent')).toEqual({ glyph: 'check', tone: 'muted', label: 'sent' });
    expect(out('delivered')).toEqual({ glyph: 'double-check', tone: 'muted', label: 'delivered' });
    expect(out('read')).toEqual({ glyph: 'double-check', tone: 'read', label: 'read' });
    expect(out('played')).toEqual({ glyph: 'double-check', tone: 'read', label: 'played' });
    expect(out('failed')).toEqual({ glyph: 'failed', tone: 'danger', label: 'failed' });
    expect(out('unknown')).toEqual({ glyph: 'unknown', tone: 'warning', label: 'unknown' });
  });

  it('shows the clock while the outbox row is unconfirmed, whatever status it carries', () => {
    expect(out('queued', true)).toEqual({ glyph: 'clock', tone: 'muted', label: 'pending' });
    expect(out('sent', true)?.glyph).toBe('clock');
  });

  it('puts no mark on what the customer sent', () => {
    expect(ticksFor({ direction: 'in', status: 'received', pending: false })).toBeNull();
    expect(out('received')).toBeNull();
  });
});
