import { describe, expect, it } from 'vitest';
import { MemoryConnectionRegistry } from '../src';
import { record, registryContract } from './contract';

registryContract('MemoryConnectionRegistry', {
  create: async (nodeId) => new MemoryConnectionRegistry({ nodeId }),
  reset: async () => {},
});

describe('MemoryConnectionRegistry sweep cost', () => {
  it('visits only the stale prefix: live entries are never read', async () => {
    const registry = new MemoryConnectionRegistry({ nodeId: 'n' });
    const now = 10_000_000;
    for (let i = 0; i < 3; i++) await registry.register(record({ lastSeenAt: now - 100_000 }));
    for (let i = 0; i < 50_000; i++) await registry.register(record({ lastSeenAt: now - 10 }));
    // Touching an old entry moves it to the live end, so the stale prefix stays contiguous.
    const touched = record({ lastSeenAt: now - 100_000 });
    await registry.register(touched);
    registry.touch(touched.connectionId, now);
    const result = await registry.sweep({ staleAfterMs: 60_000, now });
    expect(result.staleRemoved).toBe(3);
    expect((await registry.counts()).total).toBe(50_001);
  });
});
