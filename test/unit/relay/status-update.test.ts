import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/domain.ts';
import { applyStatusUpdate, type StatusUpdate } from '../../../src/relay/messages/status-update.ts';

const outbound: Message = {
  id: 'mut_0001_abcdef',
  conversationId: '420000000000001:5215512345678',
  phoneNumberId: '420000000000001',
  direction: 'out',
  type: 'text',
  text: 'Sí, la tenemos',
  waMessageId: null,
  timestamp: 1_000,
  status: 'queued',
  statusAt: 1_000,
  error: null,
  pricing: null,
  authorId: 'agt_1',
  payload: null,
  media: null,
  context: null,
  waitingUntil: null,
};

const status = (name: StatusUpdate['status'], extra: Partial<StatusUpdate> = {}): StatusUpdate => ({
  phoneNumberId: '420000000000001',
  waMessageId: 'wamid.out-1',
  status: name,
  timestamp: 2_000,
  bizOpaqueCallbackData: 'mut_0001_abcdef',
  recipientUserId: null,
  error: null,
  pricing: null,
  ...extra,
});

function applyAll(message: Message, updates: StatusUpdate[]): Message {
  return updates.reduce((current, update) => applyStatusUpdate(current, update) ?? current, message);
}

describe('applyStatusUpdate', () => {
  it('moves forward and learns the wamid from the first status', () => {
    const sent = applyStatusUpdate(outbound, status('sent'));
    expect(sent).toMatchObject({ status: 'sent', waMessageId: 'wamid.out-1', statusAt: 2_000 });
  });

  it('never moves back when read arrives before delivered', () => {
    const final = applyAll(outbound, [status('sent'), status('read'), status('delivered')]);
    expect(final.status).toBe('read');
  });

  it('records the error of a failure, and a later delivery overrides it', () => {
    const error = { code: 131026, title: 'Message undeliverable' };
    const failed = applyAll(outbound, [status('sent'), status('failed', { error })]);
    expect(failed).toMatchObject({ status: 'failed', error });
    expect(applyAll(failed, [status('delivered')])).toMatchObject({ status: 'delivered', error: null });
  });

  it('fills in pricing from a status that arrives too late to move the message', () => {
    const pricing = { billable: false, category: 'service', type: 'free_customer_service', model: 'PMP' };
    const read = applyAll(outbound, [status('read')]);
    expect(applyStatusUpdate(read, status('delivered', { pricing }))).toMatchObject({
      status: 'read',
      pricing,
    });
    expect(applyStatusUpdate({ ...read, pricing }, status('delivered', { pricing }))).toBeNull();
  });

  it('settles a send whose outcome was unknown', () => {
    expect(applyStatusUpdate({ ...outbound, status: 'unknown' }, status('sent'))?.status).toBe('sent');
  });
});
