import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkMediaUrl, MEDIA_DOWNLOAD_PATH, signMediaUrl } from '../../../src/simulator/media/media-url.ts';

const secret = randomBytes(32);
const now = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('media download URLs', () => {
  const url = new URL(signMediaUrl('http://127.0.0.1:9', secret, '1479537139650973', now + 300_000));

  it("look like Meta's lookaside URLs and name the media until they expire", () => {
    expect(url.pathname).toBe(MEDIA_DOWNLOAD_PATH);
    expect(url.searchParams.get('mid')).toBe('1479537139650973');
    expect(checkMediaUrl(url.searchParams, secret, now)).toEqual({ ok: true, mediaId: '1479537139650973' });
    expect(checkMediaUrl(url.searchParams, secret, now + 299_000)).toMatchObject({ ok: true });
  });

  it('stop working at their expiry', () => {
    expect(checkMediaUrl(url.searchParams, secret, now + 300_000)).toEqual({ ok: false, problem: 'expired' });
  });

  it('cannot be pointed at other media, extended, or signed with another secret', () => {
    const otherMedia = new URLSearchParams(url.searchParams);
    otherMedia.set('mid', '1479537139650974');
    const extended = new URLSearchParams(url.searchParams);
    extended.set('ext', String(Number(extended.get('ext')) + 3600));
    for (const query of [otherMedia, extended, new URLSearchParams('mid=1&ext=abc&hash=x')]) {
      expect(checkMediaUrl(query, secret, now)).toEqual({ ok: false, problem: 'forged' });
    }
    expect(checkMediaUrl(url.searchParams, randomBytes(32), now)).toEqual({ ok: false, problem: 'forged' });
  });
});
