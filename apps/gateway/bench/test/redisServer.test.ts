import { describe, expect, it } from 'vitest';
import { commandDelta, parseCommandStats } from '../redisServer';

describe('INFO commandstats', () => {
  it('reads calls per command and subtracts snapshots', () => {
    const before = parseCommandStats(
      '# Commandstats\r\ncmdstat_hset:calls=10,usec=50,usec_per_call=5.00\r\ncmdstat_info:calls=1,usec=9\r\n',
    );
    const after = parseCommandStats(
      '# Commandstats\r\ncmdstat_hset:calls=14,usec=70\r\ncmdstat_info:calls=2,usec=19\r\ncmdstat_evalsha:calls=2,usec=30\r\n',
    );
    expect(Object.fromEntries(commandDelta(before, after))).toEqual({ hset: 4, info: 1, evalsha: 2 });
  });
});
