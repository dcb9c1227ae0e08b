import type { GatewayState, PeerInfo, VoiceSessionState } from '@miscord/client';
import type { Space, User, VoiceState } from '@miscord/protocol';
import type { ScreenShareView } from './screenView';
import {
  type ChannelView,
  type ConnectionView,
  DEFAULT_LOCAL_AUDIO,
  type LocalPeerAudio,
  type MainView,
  type ParticipantView,
  type PeerLinkStatus,
} from './viewTypes';

/** Everything the main screen is derived from: a snapshot of packages/client's state. */
export interface LiveSnapshot {
  readonly user: User;
  readonly gateway: GatewayState;
  readonly pingMs: number | null;
  readonly space: Space | null;
  readonly voiceStates: readonly VoiceState[];
  readonly speaking: ReadonlySet<string>;
  readonly voice: VoiceSessionState;
  readonly selfMute: boolean;
  readonly selfDeaf: boolean;
  readonly peers: readonly PeerInfo[];
  readonly localAudio: (userId: string) => LocalPeerAudio;
  readonly notice: string | null;
  readonly screen: ScreenShareView;
}

export function voiceChannelIdOf(voice: VoiceSessionState): string | null {
  return voice.status === 'idle' || voice.status === 'left' ? null : voice.channelId;
}

function linkOf(status: PeerInfo['status'] | undefined): PeerLinkStatus | undefined {
  switch (status) {
    case undefined:
    case 'closed':
      return undefined;
    case 'new':
    case 'connecting':
      return 'connecting';
    case 'connected':
      return 'connected';
    case 'failed':
      return 'failed';
  }
}

/** The badge: gateway trouble first, then the voice connection. */
export function connectionViewOf(
  snapshot: Pick<LiveSnapshot, 'gateway' | 'pingMs' | 'voice' | 'peers' | 'space'>,
): ConnectionView {
  const { gateway, pingMs, voice, peers, space } = snapshot;
  switch (gateway.status) {
    case 'idle':
      return { status: 'connecting' };
    case 'closed':
      return { status: 'offline', reason: gateway.reason };
    case 'reconnecting':
      return { status: 'reconnecting', attempt: Math.max(1, gateway.attempt) };
    case 'connecting':
      return gateway.attempt > 0
        ? { status: 'reconnecting', attempt: gateway.attempt }
        : { status: 'connecting' };
    case 'identifying':
    case 'resuming':
      return { status: 'connecting' };
    case 'ready':
      break;
  }
  const channelId = voiceChannelIdOf(voice);
  if (channelId === null) return { status: 'online', pingMs };
  const channelName = space?.channels.find((channel) => channel.id === channelId)?.name ?? 'Voice';
  const negotiating = peers.some((peer) => peer.status === 'new' || peer.status === 'connecting');
  if (voice.status === 'connected' && !negotiating) return { status: 'voiceConnected', channelName, pingMs };
  return { status: 'rtcConnecting', channelName, pingMs };
}

const byName = (a: VoiceState, b: VoiceState): number =>
  a.displayName.localeCompare(b.displayName) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

function selfState(user: User, channelId: string, snapshot: LiveSnapshot): VoiceState {
  return {
    userId: user.id,
    sessionId: 'local',
    displayName: user.displayName,
    channelId,
    selfMute: snapshot.selfMute,
    selfDeaf: snapshot.selfDeaf,
    streaming: false,
  };
}

export function buildMainView(snapshot: LiveSnapshot): MainView {
  const { user, space, voiceStates, speaking, peers, localAudio } = snapshot;
  const myChannelId = voiceChannelIdOf(snapshot.voice);
  const peersById = new Map(peers.map((peer) => [peer.userId, peer]));
  const channels: ChannelView[] = (space?.channels ?? []).map((channel) => {
    // Until the gateway echoes my own VOICE_STATE I am shown where the voice session says I am.
    const members = voiceStates.filter(
      (state) =>
        state.channelId === channel.id &&
        (state.userId !== user.id || myChannelId === null || myChannelId === channel.id),
    );
    if (channel.id === myChannelId && !members.some((state) => state.userId === user.id)) {
      members.push(selfState(user, channel.id, snapshot));
    }
    members.sort(byName);
    const participants = members.map((state): ParticipantView => {
      const isSelf = state.userId === user.id;
      const peer = peersById.get(state.userId);
      const link = isSelf || channel.id !== myChannelId ? undefined : linkOf(peer?.status ?? 'new');
      return {
        userId: state.userId,
        displayName: state.displayName,
        // My own flags change locally before the server echoes them.
        selfMute: isSelf ? snapshot.selfMute : state.selfMute,
        selfDeaf: isSelf ? snapshot.selfDeaf : state.selfDeaf,
        streaming: isSelf ? snapshot.screen.sharing !== null : state.streaming,
        speaking: speaking.has(state.userId),
        isSelf,
        localAudio: isSelf ? DEFAULT_LOCAL_AUDIO : localAudio(state.userId),
        ...(link === undefined ? {} : { link }),
      };
    });
    return { id: channel.id, name: channel.name, userLimit: channel.userLimit, participants };
  });
  return {
    spaceName: space?.name ?? 'Miscord',
    channels,
    self: {
      userId: user.id,
      displayName: user.displayName,
      channelId: myChannelId,
      selfMute: snapshot.selfMute,
      selfDeaf: snapshot.selfDeaf,
    },
    connection: connectionViewOf(snapshot),
    notice: snapshot.notice,
    screen: snapshot.screen,
  };
}
