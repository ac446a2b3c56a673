import { describe, expect, it } from 'vitest';
import { parseGraphError } from '../../../src/relay/graph/graph-client.ts';

describe('parseGraphError', () => {
  it('reads a WhatsApp error with error_data.details', () => {
    expect(
      parseGraphError({
        error: {
          message: '(#131047) Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: { messaging_product: 'whatsapp', details: 'More than 24 hours have passed.' },
          fbtrace_id: 'AbCdEf',
        },
      }),
    ).toEqual({
      code: 131047,
      title: '(#131047) Re-engagement message',
      message: '(#131047) Re-engagement message',
      details: 'More than 24 hours have passed.',
    });
  });

  it('reads a Graph error whose error_data is a string, preferring the user-facing title', () => {
    expect(
      parseGraphError({
        error: {
          message: 'Invalid parameter',
          type: 'OAuthException',
          code: 100,
          error_data: 'End time requested is before start time.',
          error_user_title: 'Horas incorrectas',
        },
      }),
    ).toEqual({
      code: 100,
      title: 'Horas incorrectas',
      message: 'Invalid parameter',
      details: 'End time requested is before start time.',
    });
  });

  it('is null for a success answer or anything else', () => {
    expect(parseGraphError({ messaging_product: 'whatsapp', messages: [{ id: 'wamid.1' }] })).toBeNull();
    expect(parseGraphError('error')).toBeNull();
    expect(parseGraphError({ error: { message: 'no code' } })).toBeNull();
  });
});
