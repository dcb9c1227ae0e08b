import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JoinWaiter } from '../../src/voice/JoinWaiter';

describe('JoinWaiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves once; later rejections are ignored', async () => {
    const w = new JoinWaiter('c1', 1000, () => undefined);
    w.resolve();
    w.reject(new Error('late'));
    await expect(w.promise).resolves.toBeUndefined();
    expect(w.settled).toBe(true);
  });

  it('reports a timeout through the callback, and a superseded join rejects naming both channels', async () => {
    const onTimeout = vi.fn();
    const w = new JoinWaiter('c1', 1000, onTimeout);
    vi.advanceTimersByTime(1000);
    expect(onTimeout).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringMatching(/c1 in 1000 ms/) }),
    );
    const older = new JoinWaiter('c1', 1000, onTimeout);
    older.supersede('c2');
    await expect(older.promise).rejects.toThrow(/c1 superseded by a join of c2/);
    vi.advanceTimersByTime(5000);
    expect(onTimeout).toHaveBeenCalledTimes(1); // the settled one's timer was cleared
    w.resolve();
  });
});
