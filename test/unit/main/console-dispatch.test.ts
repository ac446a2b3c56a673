// dispatch() is the gate every renderer call passes: a bad input to any of the ConsoleApi's methods
// is refused with INVALID_INPUT before the console is reached, and a method the target lacks is refused.
import { describe, expect, it } from 'vitest';
import { dispatch, type DispatchTarget } from '../../../src/main/api/dispatch.ts';

/** A console that records what reached it. */
function recordingConsole(): { target: DispatchTarget; reached: string[] } {
  const reached: string[] = [];
  const answer = (method: string) => (input: unknown) => {
    reached.push(method);
    return Promise.resolve({ method, input });
  };
  const target = {
    listConversations: answer('listConversations'),
    getConversation: answer('getConversation'),
    getMessages: answer('getMessages'),
    listNotes: answer('listNotes'),
    listTemplates: answer('listTemplates'),
    listQuickReplies: answer('listQuickReplies'),
  } as unknown as DispatchTarget;
  return { target, reached };
}

const refusals: [string, unknown][] = [
  ['listConversations', { view: 'everything' }],
  ['listConversations', { limit: 0 }],
  ['listConversations', { limit: 501 }],
  ['listConversations', { after: { lastMessageAt: 'yesterday', id: 'c1' } }],
  ['listConversations', { after: { lastMessageAt: 1 } }],
  ['listConversations', { phoneNumberId: '' }],
  ['listConversations', { unknown: true }],
  ['getConversation', {}],
  ['getConversation', { conversationId: '' }],
  ['getMessages', { conversationId: 'c1', before: 'm1', after: 'm2' }],
  ['getMessages', { conversationId: 'c1', around: 'm1', before: 'm2' }],
  ['getMessages', { conversationId: 'c1', before: 1700000000000 }],
  ['getMessages', { conversationId: 'c1', limit: 1000 }],
  ['getMessages', { limit: 10 }],
  ['listNotes', {}],
  ['listNotes', { conversationId: 'c1', extra: 1 }],
  ['listTemplates', { status: 'APPROVED' }],
  ['listQuickReplies', { shortcut: 'hola' }],
];

describe('dispatch', () => {
  it.each(refusals)('refuses %s %j with INVALID_INPUT before the console sees it', async (method, input) => {
    const { target, reached } = recordingConsole();
    const answer = await dispatch(target, method, input);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(reached).toEqual([]);
  });

  it('hands good input over with its defaults filled in', async () => {
    const { target } = recordingConsole();
    expect(await dispatch(target, 'listConversations', {})).toEqual({
      ok: true,
      value: { method: 'listConversations', input: { view: 'open', limit: 100 } },
    });
    expect(
      await dispatch(target, 'getMessages', { conversationId: 'c1', around: 'm1', limit: 21 }),
    ).toMatchObject({ ok: true, value: { input: { conversationId: 'c1', around: 'm1', limit: 21 } } });
    expect(await dispatch(target, 'listTemplates', undefined)).toMatchObject({ ok: true });
  });

  it('refuses a method the console does not have, and a name that is no method', async () => {
    const { target } = recordingConsole();
    expect(
      await dispatch(target, 'signIn', { relayUrl: 'http://127.0.0.1:1', token: 'x'.repeat(20) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    expect(await dispatch(target, 'dropTables', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
  });
});
