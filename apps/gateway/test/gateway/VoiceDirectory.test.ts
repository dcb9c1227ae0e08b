import type { ConnectionRecord } from '@miscord/registry';
import { describe, expect, it } from 'vitest';
import { VoiceDirectory } from '../../src/gateway/VoiceDirectory';

function member(userId: string, channelId: string | null, nodeId = 'node-a'): ConnectionRecord {
  return {
    connectionId: `conn-${userId}`,
    sessionId: `session-${userId}`,
    userId,
    displayName: userId,
    kind: 'desktop',
    channelId,
    ip: '127.0.0.1',
    userAgent: 'vitest',
    nodeId,
    connectedAt: 1,
    lastSeenAt: 1,
    selfMute: false,
    selfDeaf: false,
    streaming: false,
  };
}

describe('VoiceDirectory', () => {
  it('names the channels whose member count differs from the registry, in either direction', () => {
    const directory = new VoiceDirectory();
    directory.reload([member('ann', 'general'), member('ben', 'general'), member('cat', 'afk')]);
    expect(directory.driftedChannels({ general: 2, afk: 1 })).toEqual([]);
    // gaming gained a member we never heard of; afk lost one; general is right.
    expect(directory.driftedChannels({ general: 2, gaming: 1 }).sort()).toEqual(['afk', 'gaming']);
  });

  it('reloads only the drifted channels and leaves the others as they are', () => {
    const directory = new VoiceDirectory();
    directory.reload([member('ann', 'general'), member('ben', 'general'), member('cat', 'afk')]);
    // Registry: ben moved from general to gaming (node b), cat left afk. general itself is not reloaded.
    directory.replaceChannels(['gaming', 'afk'], [member('ben', 'gaming', 'node-b')]);
    expect(directory.get('ben')).toMatchObject({ nodeId: 'node-b', state: { channelId: 'gaming' } });
    expect(directory.participants('general')).toBe(1);
    expect(directory.get('ann')?.state.channelId).toBe('general');
    expect(directory.get('cat')).toBeUndefined();
    expect(directory.participants('afk')).toBe(0);
    expect(directory.driftedChannels({ general: 1, gaming: 1 })).toEqual([]);
  });
});
