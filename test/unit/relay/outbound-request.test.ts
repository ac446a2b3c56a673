import { describe, expect, it } from 'vitest';
import { placeMediaId } from '../../../src/relay/outbound/outbound-request.ts';

describe('placeMediaId', () => {
  it('adds the id to the media object at the path, keeping caption and filename', () => {
    const body = { type: 'document', document: { caption: 'Factura', filename: 'f.pdf' } };
    expect(placeMediaId(body, ['document'], 'media-1')).toEqual({
      type: 'document',
      document: { caption: 'Factura', filename: 'f.pdf', id: 'media-1' },
    });
    expect(body.document).toEqual({ caption: 'Factura', filename: 'f.pdf' });
  });

  it('reaches into arrays (a template header parameter)', () => {
    const body = {
      type: 'template',
      template: { components: [{ type: 'header', parameters: [{ type: 'image' }] }] },
    };
    expect(placeMediaId(body, ['template', 'components', 0, 'parameters', 0, 'image'], 'media-2')).toEqual({
      type: 'template',
      template: {
        components: [{ type: 'header', parameters: [{ type: 'image', image: { id: 'media-2' } }] }],
      },
    });
  });
});
