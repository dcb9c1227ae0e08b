import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initiatorOf, isInitiator } from '../../src/voice/initiator';

describe('isInitiator', () => {
  it('lets the lexicographically smaller userId offer', () => {
    expect(isInitiator('alice', 'bob')).toBe(true);
    expect(isInitiator('bob', 'alice')).toBe(false);
    expect(isInitiator('u10', 'u9')).toBe(true); // string order, not numeric
    expect(initiatorOf('zed', 'amy')).toBe('amy');
  });

  it('is antisymmetric: of any two distinct members exactly one initiates (no glare, no silence)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        expect(isInitiator(a, b)).not.toBe(isInitiator(b, a));
        expect(initiatorOf(a, b)).toBe(initiatorOf(b, a));
      }),
    );
  });

  it('refuses to pair a user with itself', () => {
    expect(() => isInitiator('same', 'same')).toThrow(RangeError);
  });
});
