import { describe, expect, it } from 'vitest';
import { type Batched, WriteBatch } from '../../src/gateway/WriteBatch';

/** A target that records when it was flushed, as the test's log. */
function target(name: string, log: string[]): Batched {
  return { flushQueued: () => log.push(name) };
}

describe('WriteBatch', () => {
  it('flushes every target added during a turn once the turn ends, in the order they came', async () => {
    const batch = new WriteBatch(() => {});
    const log: string[] = [];
    batch.add(target('a', log));
    batch.add(target('b', log));
    log.push('end of turn');
    await Promise.resolve();
    expect(log).toEqual(['end of turn', 'a', 'b']);
  });

  it('starts over for the next turn', async () => {
    const batch = new WriteBatch(() => {});
    const log: string[] = [];
    batch.add(target('first', log));
    await new Promise((resolve) => setImmediate(resolve));
    batch.add(target('second', log));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['first', 'second']);
  });

  it('flushes the other targets when one throws, reports the error, and goes on in later turns', async () => {
    const errors: unknown[] = [];
    const batch = new WriteBatch((error) => errors.push(error));
    const log: string[] = [];
    const failure = new Error('broken');
    batch.add({
      flushQueued: () => {
        throw failure;
      },
    });
    batch.add(target('same turn', log));
    await new Promise((resolve) => setImmediate(resolve));
    batch.add(target('later', log));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['same turn', 'later']);
    expect(errors).toEqual([failure]);
  });
});
