import type { ScreenShareView } from './screenView';

/**
 * What the UI renders: plain, immutable view models. The store layer derives them from packages/client
 * (gateway state, voice states, speaking, peer connections); components only ever see these.
 */

/** The gateway + voice connection as the badge in the user panel shows it. */
export type ConnectionView =
  | { readonly status: 'offline'; readonly reason?: string }
  | { readonly status: 'connecting' }
  | { readonly status: 'reconnecting'; readonly attempt: number }
  /** Gateway ready, not in a voice channel. */
  | { readonly status: 'online'; readonly pingMs: number | null }
  /** In a voice channel, peer connections still negotiating. */
  | { readonly status: 'rtcConnecting'; readonly channelName: string; readonly pingMs: number | null }
  | { readonly status: 'voiceConnected'; readonly channelName: string; readonly pingMs: number | null };

export interface LocalPeerAudio {
  /** Playback volume of this person for me, 0–200 (%). */
  readonly volume: number;
  /** Muted for me only. */
  readonly muted: boolean;
}

export type PeerLinkStatus = 'connecting' | 'connected' | 'failed';

export interface ParticipantView {
  readonly userId: string;
  readonly displayName: string;
  readonly selfMute: boolean;
  readonly selfDeaf: boolean;
  readonly streaming: boolean;
  readonly speaking: boolean;
  readonly isSelf: boolean;
  readonly localAudio: LocalPeerAudio;
  /** The WebRTC link to this person; undefined for myself and for channels I am not in. */
  readonly link?: PeerLinkStatus;
}

export interface ChannelView {
  readonly id: string;
  readonly name: string;
  /** 0 = no limit. */
  readonly userLimit: number;
  readonly participants: readonly ParticipantView[];
}

export interface SelfView {
  readonly userId: string;
  readonly displayName: string;
  readonly channelId: string | null;
  readonly selfMute: boolean;
  readonly selfDeaf: boolean;
}

export interface MainView {
  readonly spaceName: string;
  readonly channels: readonly ChannelView[];
  readonly self: SelfView;
  readonly connection: ConnectionView;
  /** A short message about the last failed action (channel full, …), or null. */
  readonly notice: string | null;
  /** 🖥️ Our share and the shares in our channel. */
  readonly screen: ScreenShareView;
}

export const DEFAULT_LOCAL_AUDIO: LocalPeerAudio = { volume: 100, muted: false };
