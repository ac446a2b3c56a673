// The demo relies on its cast to show every window state and realistic people; these facts are
// what the console's demo (and its screenshots) depend on.
import { describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DEMO_CAST } from '../../../src/simulator/demo-cast.ts';
import { seededRandom } from '../../../src/simulator/seeded-random.ts';

const HOUR = 3_600_000;

describe('the demo cast', () => {
  it('has valid E.164 numbers from Mexico, Spain, Argentina, Colombia and Brazil', () => {
    const countries = DEMO_CAST.map((customer) => {
      const phone = parsePhoneNumberFromString(`+${customer.waId}`);
      expect(phone?.isValid(), customer.waId).toBe(true);
      return phone?.country;
    });
    expect(new Set(countries)).toEqual(new Set(['MX', 'ES', 'AR', 'CO', 'BR']));
    expect(new Set(DEMO_CAST.map((c) => c.waId)).size).toBe(DEMO_CAST.length);
  });

  it('shows a window about to close, a closed one and recent ones', () => {
    const ages = DEMO_CAST.map((customer) => customer.history.lastMessageAgoMs);
    expect(ages).toContain(23 * HOUR + 40 * 60_000);
    expect(ages).toContain(30 * HOUR);
    expect(ages.filter((age) => age < 3 * HOUR).length).toBeGreaterThanOrEqual(4);
  });

  it('shows what customers really send: a photo with a caption, a location, a voice note, an ad, a 👍', () => {
    const lines = DEMO_CAST.flatMap((customer) => customer.history.lines);
    const photos = lines.filter((line) => typeof line !== 'string' && 'photo' in line);
    expect(photos).toEqual([{ photo: { caption: expect.stringMatching(/\S/) as unknown } }]);
    expect(lines.filter((line) => typeof line !== 'string' && 'location' in line)).toHaveLength(1);
    expect(lines.filter((line) => typeof line !== 'string' && 'voiceNote' in line)).toHaveLength(1);
    const fromAd = DEMO_CAST.filter((customer) => customer.fromAd !== undefined);
    expect(fromAd).toHaveLength(1);
    // The ad's window (a free entry point) only matters while the customer can still be answered.
    expect(fromAd[0]?.history.lastMessageAgoMs).toBeLessThan(24 * HOUR);
    expect(DEMO_CAST.filter((customer) => customer.reactsToReplies === '👍')).toHaveLength(1);
  });

  it('includes one very long name', () => {
    expect(Math.max(...DEMO_CAST.map((customer) => customer.name.length))).toBeGreaterThan(40);
  });
});

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const take = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
    for (const value of take(7)) expect(value >= 0 && value < 1).toBe(true);
  });
});
