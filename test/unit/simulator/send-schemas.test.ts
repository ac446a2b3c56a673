// The send bodies the Graph endpoint accepts, type by type, and what it says about those it refuses.
import { describe, expect, it } from 'vitest';
import { describeIssues, mediaOf, sendSchema } from '../../../src/simulator/sends/send-schemas.ts';

const base = { messaging_product: 'whatsapp', to: '5215512345678' };

function problem(body: Record<string, unknown>): string {
  const parsed = sendSchema.safeParse({ ...base, ...body });
  expect(parsed.success, JSON.stringify(body)).toBe(false);
  return parsed.success ? '' : describeIssues(parsed.error);
}

describe('sendSchema', () => {
  it('accepts every message type Meta sends, with reply context and tracker', () => {
    const bodies = [
      {
        type: 'text',
        text: { body: 'hola', preview_url: true },
        context: { message_id: 'wamid.A' },
        biz_opaque_callback_data: 'm-1',
      },
      { type: 'template', template: { name: 'x', language: { code: 'es_MX', policy: 'deterministic' } } },
      { type: 'image', image: { id: '1', caption: 'c' } },
      { type: 'document', document: { link: 'https://x.mx/a.pdf', filename: 'a.pdf' } },
      { type: 'sticker', sticker: { id: '1' } },
      { type: 'reaction', reaction: { message_id: 'wamid.A', emoji: '' } },
      {
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Elige' },
          action: { button: 'Ver', sections: [{ rows: [{ id: '1', title: 'Uno' }] }] },
        },
      },
      {
        type: 'interactive',
        interactive: { type: 'cta_url', body: { text: 'Abre' }, action: { name: 'cta_url', parameters: {} } },
      },
      { type: 'location', location: { latitude: 19.4, longitude: -99.1 } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Ana' } }] },
    ];
    for (const body of bodies)
      expect(sendSchema.safeParse({ ...base, ...body }).success, body.type).toBe(true);
  });

  it('names the field it refuses', () => {
    expect(problem({ type: 'text', text: { body: '' } })).toContain('text.body');
    expect(problem({ type: 'image', image: {} })).toContain('image: give exactly one of id');
    expect(problem({ type: 'sticker', sticker: { id: '1', caption: 'x' } })).toContain(
      'sticker.caption: audio and sticker messages take no caption',
    );
    expect(problem({ type: 'video', video: { link: 'file:///etc/passwd' } })).toContain(
      'video.link: must be an http(s) URL',
    );
    expect(
      problem({ type: 'interactive', interactive: { type: 'button', action: { buttons: [1] } } }),
    ).toContain('interactive.body: a button message needs body.text');
    expect(
      problem({
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'x' },
          action: { sections: [{ rows: Array(11).fill({}) }] },
        },
      }),
    ).toContain('interactive.action.sections: must hold 1 to 10 rows in all, got 11');
    expect(problem({ type: 'template', template: { name: 'x' } })).toContain('template.language');
    expect(problem({ type: 'contacts', contacts: [] })).toContain('contacts');
  });

  it('finds the media object of media sends only', () => {
    const image = sendSchema.parse({ ...base, type: 'image', image: { id: '7' } });
    expect(mediaOf(image)).toEqual({ kind: 'image', media: { id: '7' } });
    expect(mediaOf(sendSchema.parse({ ...base, type: 'text', text: { body: 'x' } }))).toBeNull();
  });
});
