import { describe, expect, it } from 'vitest';
import { TaskLimiter } from '../../src/gateway/TaskLimiter';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('TaskLimiter', () => {
  it('runs at most `limit` tasks at once, the rest in the order they came', async () => {
    const limiter = new TaskLimiter(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await tick();
          running--;
          return i * 2;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(limiter.inFlight).toBe(0);
  });

  it('a task that fails rejects its own run and frees its slot', async () => {
    const limiter = new TaskLimiter(1);
    const failed = limiter.run(async () => {
      await tick();
      throw new Error('boom');
    });
    const next = limiter.run(async () => 'after');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
    expect(limiter.inFlight).toBe(0);
  });
});
