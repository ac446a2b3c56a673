import { describe, expect, it } from 'vitest';
import { arrangeChain } from '../../../src/simulator/auto-statuses.ts';
import { seededRandom } from '../../../src/simulator/seeded-random.ts';

describe('arrangeChain (the order automatic statuses are posted in)', () => {
  it('posts sent, delivered, read in order, or reversed: read first', () => {
    const never = () => {
      throw new Error('only the shuffled order draws random numbers');
    };
    expect(arrangeChain('in-order', never)).toEqual(['sent', 'delivered', 'read']);
    expect(arrangeChain('reversed', never)).toEqual(['read', 'delivered', 'sent']);
  });

  it('shuffles into every permutation over many draws, each one the same three statuses', () => {
    const random = seededRandom(7);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const chain = arrangeChain('shuffled', random);
      expect(chain.toSorted()).toEqual(['delivered', 'read', 'sent']);
      seen.add(chain.join(','));
    }
    expect(seen.size).toBe(6);
  });

  it('repeats the same shuffles for the same seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 10 }, () => arrangeChain('shuffled', random).join(','));
    };
    expect(draw(3)).toEqual(draw(3));
  });
});
