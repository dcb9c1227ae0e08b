import type { GatewayState, PeerInfo } from '@miscord/client';
import type { Space, VoiceState } from '@miscord/protocol';
import { describe, expect, it } from 'vitest';
import {
  buildMainView,
  connectionViewOf,
  type LiveSnapshot,
} from '../../../src/renderer/state/buildMainView';
import { NO_SCREEN_SHARE, type ScreenSource, screenViewOf } from '../../../src/renderer/state/screenView';

const space: Space = {
  id: 's1',
  name: 'Miscord HQ',
  channels: [
    { id: 'general', name: 'General', kind: 'voice', userLimit: 0 },
    { id: 'gaming', name: 'Gaming', kind: 'voice', userLimit: 2 },
  ],
};

const ready: GatewayState = {
  status: 'ready',
  connectionId: 'c1',
  nodeId: 'n1',
  sessionId: 'sess',
  userId: 'me',
  resumed: false,
  since: 0,
};

const state = (
  userId: string,
  displayName: string,
  channelId: string | null,
  extra: Partial<VoiceState> = {},
): VoiceState => ({
  userId,
  sessionId: `s-${userId}`,
  displayName,
  channelId,
  selfMute: false,
  selfDeaf: false,
  streaming: false,
  ...extra,
});

const peer = (userId: string, status: PeerInfo['status']): PeerInfo => ({
  userId,
  initiator: true,
  status,
  volumePercent: 100,
  locallyMuted: false,
  speaking: false,
});

function snapshot(patch: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    user: { id: 'me', displayName: 'Margaret' },
    gateway: ready,
    pingMs: 42,
    space,
    voiceStates: [],
    speaking: new Set(),
    voice: { status: 'idle' },
    selfMute: false,
    selfDeaf: false,
    peers: [],
    localAudio: () => ({ volume: 100, muted: false }),
    notice: null,
    screen: NO_SCREEN_SHARE,
    ...patch,
  };
}

describe('buildMainView', () => {
  it('lists each channel with its members sorted by name, speaking and flags', () => {
    const view = buildMainView(
      snapshot({
        voiceStates: [
          state('u2', 'zed', 'general', { selfMute: true }),
          state('u1', 'Ada', 'general', { selfDeaf: true }),
          state('u3', 'Bob', 'gaming', { streaming: true }),
        ],
        speaking: new Set(['u2']),
        localAudio: (userId) => ({ volume: userId === 'u2' ? 150 : 100, muted: userId === 'u1' }),
      }),
    );
    expect(view.spaceName).toBe('Miscord HQ');
    expect(view.channels.map((c) => [c.id, c.userLimit, c.participants.map((p) => p.displayName)])).toEqual([
      ['general', 0, ['Ada', 'zed']],
      ['gaming', 2, ['Bob']],
    ]);
    const [ada, zed] = view.channels[0]?.participants ?? [];
    expect(ada).toMatchObject({ selfDeaf: true, speaking: false, localAudio: { volume: 100, muted: true } });
    expect(zed).toMatchObject({ selfMute: true, speaking: true, localAudio: { volume: 150, muted: false } });
    expect(ada?.link).toBeUndefined(); // I am not in that channel: no peer links
    expect(view.channels[1]?.participants[0]?.streaming).toBe(true);
    expect(view.self).toEqual({
      userId: 'me',
      displayName: 'Margaret',
      channelId: null,
      selfMute: false,
      selfDeaf: false,
    });
    expect(view.connection).toEqual({ status: 'online', pingMs: 42 });
  });

  it('shows me in the channel I am joining before the gateway echoes my voice state', () => {
    const view = buildMainView(
      snapshot({
        voice: { status: 'joining', channelId: 'gaming' },
        selfMute: true,
        voiceStates: [state('me', 'Margaret', 'general')],
      }),
    );
    expect(view.channels[0]?.participants).toEqual([]);
    expect(view.channels[1]?.participants).toEqual([
      expect.objectContaining({
        userId: 'me',
        isSelf: true,
        selfMute: true,
        localAudio: { volume: 100, muted: false },
      }),
    ]);
    expect(view.self.channelId).toBe('gaming');
  });

  it('gives peers in my channel a link status from the voice session', () => {
    const view = buildMainView(
      snapshot({
        voice: { status: 'connected', channelId: 'general', since: 1 },
        voiceStates: [
          state('me', 'Margaret', 'general'),
          state('u1', 'Ada', 'general'),
          state('u2', 'Bo', 'general'),
          state('u3', 'Cy', 'general'),
        ],
        peers: [peer('u1', 'connected'), peer('u2', 'failed')],
      }),
    );
    const links = Object.fromEntries(
      view.channels[0]?.participants.map((p) => [p.userId, p.link ?? 'none']) ?? [],
    );
    expect(links).toEqual({ me: 'none', u1: 'connected', u2: 'failed', u3: 'connecting' });
  });

  it('falls back to a default space name before READY', () => {
    const view = buildMainView(
      snapshot({ space: null, gateway: { status: 'connecting', attempt: 0, next: 'identify' } }),
    );
    expect(view.spaceName).toBe('Miscord');
    expect(view.channels).toEqual([]);
    expect(view.connection).toEqual({ status: 'connecting' });
  });
});

describe('connectionViewOf', () => {
  const base = { pingMs: 30, voice: { status: 'idle' } as const, peers: [] as PeerInfo[], space };
  const lastClose = { code: 1006, reason: '', action: 'resume' as const, at: 0 };

  it('reports gateway trouble first', () => {
    expect(connectionViewOf({ ...base, gateway: { status: 'idle' } })).toEqual({ status: 'connecting' });
    expect(
      connectionViewOf({
        ...base,
        gateway: { status: 'reconnecting', attempt: 3, delayMs: 1000, lastClose, next: 'resume' },
      }),
    ).toEqual({ status: 'reconnecting', attempt: 3 });
    expect(
      connectionViewOf({ ...base, gateway: { status: 'connecting', attempt: 2, next: 'resume' } }),
    ).toEqual({
      status: 'reconnecting',
      attempt: 2,
    });
    expect(
      connectionViewOf({
        ...base,
        gateway: { status: 'closed', lastClose, reason: 'authentication failed' },
      }),
    ).toEqual({
      status: 'offline',
      reason: 'authentication failed',
    });
  });

  it('then the voice connection: RTC connecting until every peer is up', () => {
    const voice = { status: 'connected', channelId: 'general', since: 1 } as const;
    expect(
      connectionViewOf({
        ...base,
        gateway: ready,
        voice,
        peers: [peer('a', 'connected'), peer('b', 'connecting')],
      }),
    ).toEqual({
      status: 'rtcConnecting',
      channelName: 'General',
      pingMs: 30,
    });
    expect(connectionViewOf({ ...base, gateway: ready, voice, peers: [peer('a', 'connected')] })).toEqual({
      status: 'voiceConnected',
      channelName: 'General',
      pingMs: 30,
    });
    expect(
      connectionViewOf({ ...base, gateway: ready, voice: { status: 'joining', channelId: 'gaming' } }),
    ).toEqual({
      status: 'rtcConnecting',
      channelName: 'Gaming',
      pingMs: 30,
    });
  });
});

describe('screen share view', () => {
  const source = (
    sharing: ScreenSource['sharing'],
    shares: ReturnType<ScreenSource['shares']>,
  ): ScreenSource => ({
    sharing,
    starting: false,
    shares: () => shares,
  });

  it("lists others' shares by sharer: watching, whether their tracks arrived, viewer count, volume", () => {
    const stream = {} as MediaStream;
    const view = screenViewOf(
      source({ preset: 'text', audio: true, watchers: ['b'] }, [
        {
          userId: 'a',
          preset: '1080p60',
          audio: false,
          watching: true,
          stream,
          viewers: ['me', 'c'],
          volumePercent: 80,
        },
        {
          userId: 'c',
          preset: '720p30',
          audio: true,
          watching: false,
          stream: null,
          viewers: [],
          volumePercent: 100,
        },
      ]),
      { offered: true, reason: null },
      'browser',
    );
    expect(view.sharing).toEqual({ preset: 'text', audio: true, watchers: ['b'] });
    expect(view.streams).toEqual({
      a: {
        userId: 'a',
        preset: '1080p60',
        audio: false,
        watching: true,
        ready: true,
        viewerCount: 2,
        volume: 80,
      },
      c: {
        userId: 'c',
        preset: '720p30',
        audio: true,
        watching: false,
        ready: false,
        viewerCount: 0,
        volume: 100,
      },
    });
  });

  it('is empty without a voice session, keeping which picker applies', () => {
    expect(screenViewOf(null, { offered: false, reason: null }, 'desktop')).toEqual({
      ...NO_SCREEN_SHARE,
      picker: 'desktop',
    });
  });

  it('marks me LIVE from my own share before the gateway echoes my voice state', () => {
    const view = buildMainView(
      snapshot({
        voice: { status: 'connected', channelId: 'general', since: 1 },
        voiceStates: [state('me', 'Margaret', 'general')],
        screen: { ...NO_SCREEN_SHARE, sharing: { preset: '720p30', audio: false, watchers: [] } },
      }),
    );
    expect(view.channels[0]?.participants.find((p) => p.isSelf)?.streaming).toBe(true);
  });
});
