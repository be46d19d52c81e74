import fc from 'fast-check';
import { isTier, TIERS, tierReaches, type Tier } from './tier.js';

const tier = fc.constantFrom<Tier>(...TIERS);

describe('tiers', () => {
  it('are free < pro < team < enterprise, in that order', () => {
    expect(TIERS).toEqual(['free', 'pro', 'team', 'enterprise']);
  });

  describe('isTier', () => {
    it.each(['free', 'pro', 'team', 'enterprise'])('accepts %s', (value) => {
      expect(isTier(value)).toBe(true);
    });

    it.each(['', 'Free', 'PRO', ' team', 'business', 'enterprise ', 'toString', '__proto__'])('refuses %j', (value) => {
      expect(isTier(value)).toBe(false);
    });

    it('refuses every string that is not one of the four tiers', () => {
      fc.assert(
        fc.property(
          fc.string().filter((text) => !(TIERS as readonly string[]).includes(text)),
          (text) => {
            expect(isTier(text)).toBe(false);
          },
        ),
      );
    });

    it('refuses values that are not strings', () => {
      fc.assert(
        fc.property(
          fc.anything().filter((value) => typeof value !== 'string'),
          (value) => {
            expect(isTier(value)).toBe(false);
          },
        ),
      );
    });
  });

  describe('tierReaches', () => {
    it.each<[Tier, Tier, boolean]>([
      ['free', 'free', true],
      ['free', 'pro', false],
      ['free', 'team', false],
      ['free', 'enterprise', false],
      ['pro', 'free', true],
      ['pro', 'pro', true],
      ['pro', 'team', false],
      ['pro', 'enterprise', false],
      ['team', 'free', true],
      ['team', 'pro', true],
      ['team', 'team', true],
      ['team', 'enterprise', false],
      ['enterprise', 'free', true],
      ['enterprise', 'pro', true],
      ['enterprise', 'team', true],
      ['enterprise', 'enterprise', true],
    ])('%s reaches %s: %s', (have, required, expected) => {
      expect(tierReaches(have, required)).toBe(expected);
    });

    it('is reflexive: every tier reaches itself', () => {
      fc.assert(fc.property(tier, (t) => expect(tierReaches(t, t)).toBe(true)));
    });

    it('is total and antisymmetric: of two different tiers exactly one reaches the other', () => {
      fc.assert(
        fc.property(tier, tier, (a, b) => {
          fc.pre(a !== b);
          expect(tierReaches(a, b)).not.toBe(tierReaches(b, a));
        }),
      );
    });

    it('is transitive', () => {
      fc.assert(
        fc.property(tier, tier, tier, (a, b, c) => {
          fc.pre(tierReaches(a, b) && tierReaches(b, c));
          expect(tierReaches(a, c)).toBe(true);
        }),
      );
    });

    it('follows the listed order: a tier reaches exactly the tiers at or below its position', () => {
      fc.assert(
        fc.property(fc.nat({ max: TIERS.length - 1 }), fc.nat({ max: TIERS.length - 1 }), (have, required) => {
          expect(tierReaches(TIERS[have], TIERS[required])).toBe(have >= required);
        }),
      );
    });

    it('free reaches only free; enterprise reaches everything', () => {
      expect(TIERS.filter((required) => tierReaches('free', required))).toEqual(['free']);
      expect(TIERS.filter((required) => tierReaches('enterprise', required))).toEqual([...TIERS]);
    });
  });
});
