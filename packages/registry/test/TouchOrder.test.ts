import { describe, expect, it } from 'vitest';
import { TouchOrder } from '../src/TouchOrder';

/** Every id from the oldest, through the public API. */
function oldestFirst(order: TouchOrder): string[] {
  return order.newest(order.size).reverse();
}

describe('TouchOrder', () => {
  it('keeps ids oldest first; a touch moves one to the newest end', () => {
    const order = new TouchOrder();
    order.touch('a', 1);
    order.touch('b', 2);
    order.touch('c', 3);
    expect(oldestFirst(order)).toEqual(['a', 'b', 'c']);
    order.touch('a', 4);
    expect(oldestFirst(order)).toEqual(['b', 'c', 'a']);
    expect(order.oldest()).toMatchObject({ id: 'b', at: 2 });
    order.touch('a', 5);
    expect(oldestFirst(order)).toEqual(['b', 'c', 'a']);
    expect(order.size).toBe(3);
  });

  it('deletes from either end and from the middle', () => {
    const order = new TouchOrder();
    for (const [i, id] of ['a', 'b', 'c', 'd', 'e'].entries()) order.touch(id, i);
    order.delete('c');
    expect(oldestFirst(order)).toEqual(['a', 'b', 'd', 'e']);
    order.delete('a');
    order.delete('e');
    expect(oldestFirst(order)).toEqual(['b', 'd']);
    expect(order.oldest()).toMatchObject({ id: 'b' });
    order.delete('missing');
    order.delete('b');
    order.delete('d');
    expect(order.size).toBe(0);
    expect(order.oldest()).toBeNull();
    expect(order.newest(10)).toEqual([]);
    order.touch('f', 9);
    expect(oldestFirst(order)).toEqual(['f']);
  });

  it('newest(n) returns at most n, the most recent first', () => {
    const order = new TouchOrder();
    for (let i = 0; i < 100; i++) order.touch(`c${i}`, i);
    expect(order.newest(3)).toEqual(['c99', 'c98', 'c97']);
    expect(order.newest(0)).toEqual([]);
  });

  it('matches a reference model through random touches and deletes', () => {
    const order = new TouchOrder();
    let model: string[] = [];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let step = 0; step < 5_000; step++) {
      const id = `c${random(50)}`;
      model = model.filter((x) => x !== id);
      if (random(3) === 0) order.delete(id);
      else {
        order.touch(id, step);
        model.push(id);
      }
      if (step % 97 === 0) expect(oldestFirst(order)).toEqual(model);
    }
    expect(oldestFirst(order)).toEqual(model);
    expect(order.oldest()?.id).toBe(model[0]);
  });
});
