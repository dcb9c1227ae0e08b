import { describe, expect, it } from 'vitest';
import { OneOrMany } from '../src/OneOrMany';

describe('OneOrMany', () => {
  it('holds each key’s values as a set, however many there are', () => {
    const index = new OneOrMany();
    index.add('u1', 'c1');
    index.add('u1', 'c1');
    expect(index.get('u1')).toEqual(['c1']);
    index.add('u1', 'c2');
    index.add('u1', 'c3');
    index.add('u2', 'c4');
    expect(index.get('u1').sort()).toEqual(['c1', 'c2', 'c3']);
    expect(index.size).toBe(2);
    index.delete('u1', 'c2');
    index.delete('u1', 'c1');
    expect(index.get('u1')).toEqual(['c3']);
    index.add('u1', 'c5');
    expect(index.get('u1').sort()).toEqual(['c3', 'c5']);
  });

  it('forgets a key with its last value, and ignores values it does not hold', () => {
    const index = new OneOrMany();
    index.add('u1', 'c1');
    index.delete('u1', 'other');
    index.delete('nobody', 'c1');
    expect(index.get('u1')).toEqual(['c1']);
    index.delete('u1', 'c1');
    expect(index.get('u1')).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('gives a copy the caller may hold while the index changes', () => {
    const index = new OneOrMany();
    index.add('u1', 'c1');
    index.add('u1', 'c2');
    const values = index.get('u1');
    index.delete('u1', 'c1');
    expect(values.sort()).toEqual(['c1', 'c2']);
  });
});
