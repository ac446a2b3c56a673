// What the delivery mark of a message shows, from its status. Inbound messages carry none.
import type { MessageDirection, MessageStatus } from '../../shared/domain.ts';

export type TickGlyph = 'clock' | 'check' | 'double-check' | 'failed' | 'unknown';
export type TickTone = 'muted' | 'read' | 'danger' | 'warning';

export interface Ticks {
  glyph: TickGlyph;
  tone: TickTone;
  /** Key under message.status for the accessible label. */
  label: MessageStatus | 'pending';
}

export function ticksFor(message: {
  direction: MessageDirection;
  status: MessageStatus;
  pending: boolean;
}): Ticks | null {
  if (message.direction === 'in') return null;
  // An outbox row the relay has not confirmed yet waits, whatever status it carries.
  if (message.pending) return { glyph: 'clock', tone: 'muted', label: 'pending' };
  switch (message.status) {
    case 'received':
      return null;
    case 'queued':
      return { glyph: 'clock', tone: 'muted', label: 'queued' };
    case 'accepted':
    case 'sent':
      return { glyph: 'check', tone: 'muted', label: message.status };
    case 'delivered':
      return { glyph: 'double-check', tone: 'muted', label: 'delivered' };
    case 'read':
    case 'played':
      return { glyph: 'double-check', tone: 'read', label: message.status };
    case 'failed':
      return { glyph: 'failed', tone: 'danger', label: 'failed' };
    case 'unknown':
      return { glyph: 'unknown', tone: 'warning', label: 'unknown' };
  }
}
