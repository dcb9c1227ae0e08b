import type { VoiceState } from '@miscord/protocol';
import { describe, expect, it } from 'vitest';
import { type VoiceStateChange, VoiceStateStore } from '../../src/gateway/VoiceStateStore';

const vs = (userId: string, channelId: string | null, extra: Partial<VoiceState> = {}): VoiceState => ({
  userId,
  sessionId: `s-${userId}`,
  displayName: userId,
  channelId,
  selfMute: false,
  selfDeaf: false,
  streaming: false,
  ...extra,
});

const ids = (states: VoiceState[]) => states.map((s) => s.userId);

describe('VoiceStateStore', () => {
  it('adds, moves and removes users keyed by userId (no ghosts, no duplicates)', () => {
    const store = new VoiceStateStore();
    const changes: VoiceStateChange[] = [];
    store.on('change', (c) => changes.push(c));
    store.apply(vs('ann', 'a'));
    store.apply(vs('ben', 'a'));
    store.apply(vs('ann', 'b')); // moves
    expect(ids(store.members('a'))).toEqual(['ben']);
    expect(ids(store.members('b'))).toEqual(['ann']);
    expect(store.size).toBe(2);
    store.apply(vs('ben', null)); // leaves
    expect(store.members('a')).toEqual([]);
    expect(store.get('ben')).toBeUndefined();
    expect(
      changes.map((c) => `${c.userId}:${c.previous?.channelId ?? '-'}→${c.current?.channelId ?? '-'}`),
    ).toEqual(['ann:-→a', 'ben:-→a', 'ann:a→b', 'ben:a→-']);
  });

  it('emits nothing for a repeated identical state or a leave of an unknown user', () => {
    const store = new VoiceStateStore();
    let count = 0;
    store.on('change', () => count++);
    expect(store.apply(vs('ann', 'a'))).toBe(true);
    expect(store.apply(vs('ann', 'a'))).toBe(false);
    expect(store.apply(vs('zed', null))).toBe(false);
    expect(store.apply(vs('ann', 'a', { selfMute: true }))).toBe(true);
    expect(count).toBe(2);
  });

  it('a snapshot replaces its channels only: absent users of those channels leave, others stay', () => {
    const store = new VoiceStateStore();
    store.apply(vs('ann', 'a'));
    store.apply(vs('ben', 'a'));
    store.apply(vs('cat', 'b'));
    store.applySnapshot(['a'], [vs('ben', 'a'), vs('dan', 'a')]);
    expect(ids(store.members('a'))).toEqual(['ben', 'dan']);
    expect(ids(store.members('b'))).toEqual(['cat']);
  });

  it('forgetChannels drops members of unwatched channels but keeps our own user', () => {
    const store = new VoiceStateStore();
    store.apply(vs('ann', 'a'));
    store.apply(vs('me', 'a'));
    store.apply(vs('cat', 'b'));
    store.forgetChannels(['a'], 'me');
    expect(ids(store.members('a'))).toEqual(['me']);
    expect(ids(store.members('b'))).toEqual(['cat']);
  });

  it('reset (READY) replaces everything and byChannel groups the rest', () => {
    const store = new VoiceStateStore();
    store.apply(vs('ann', 'a'));
    store.reset([vs('ben', 'a'), vs('cat', 'b'), vs('cat', 'b')]);
    expect(store.get('ann')).toBeUndefined();
    expect([...store.byChannel().entries()].map(([c, list]) => [c, ids(list)])).toEqual([
      ['a', ['ben']],
      ['b', ['cat']],
    ]);
    store.clear();
    expect(store.size).toBe(0);
  });
});
