// Run: npx tsx examples/quickstart.ts            (embedded, in memory)
//      REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/quickstart.ts   (Redis; uses keys under miscord-example:)
import { type ConnectionRegistry, MemoryConnectionRegistry, RedisConnectionRegistry } from '../src';

const registry: ConnectionRegistry = process.env.REDIS_URL
  ? new RedisConnectionRegistry({
      nodeId: 'node-1',
      url: process.env.REDIS_URL,
      keyPrefix: 'miscord-example:',
    })
  : new MemoryConnectionRegistry({ nodeId: 'node-1' });
await registry.start();

const now = Date.now();
await registry.register({
  connectionId: 'c1',
  sessionId: 's1',
  userId: 'u1',
  displayName: 'Alice',
  kind: 'desktop',
  channelId: null,
  ip: '127.0.0.1',
  userAgent: 'example',
  nodeId: 'node-1',
  connectedAt: now,
  lastSeenAt: now,
  selfMute: false,
  selfDeaf: false,
  streaming: false,
});
const joined = await registry.updateVoice(
  'c1',
  { channelId: 'general', selfMute: false, selfDeaf: false, streaming: false },
  10,
);
console.log('joined:', joined.ok && joined.state);
console.log('counts:', await registry.counts());

registry.touch('c1', Date.now()); // coalesced; written by the next flush
const sweep = await registry.sweep({ staleAfterMs: 60_000 });
console.log(`sweep removed ${sweep.staleRemoved} in ${sweep.durationMs.toFixed(2)} ms`);

const removed = await registry.disconnect('c1'); // everything about c1 goes: voice state, indices
console.log('removed from channel:', removed?.channelId);
await registry.close();
