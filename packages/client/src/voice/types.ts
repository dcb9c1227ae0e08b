import type { SignalData, VoiceState } from '@miscord/protocol';
import type { AudioFinding } from '../diagnostics/types';
import type { ScreenDebugInfo } from '../screen/screenDebug';
import type { PeerStatsSummary } from '../stats/types';

export const VoiceStatus = {
  Idle: 'idle',
  /** VOICE_STATE_UPDATE sent, waiting for the gateway to confirm our own VOICE_STATE. */
  Joining: 'joining',
  Connected: 'connected',
  /** The gateway is reconnecting; peers stay up (they are P2P), the voice state is re-sent after. */
  Interrupted: 'interrupted',
  Left: 'left',
} as const;
export type VoiceStatus = (typeof VoiceStatus)[keyof typeof VoiceStatus];

export type VoiceSessionState =
  | { readonly status: 'idle' }
  | { readonly status: 'joining'; readonly channelId: string }
  | { readonly status: 'connected'; readonly channelId: string; readonly since: number }
  | { readonly status: 'interrupted'; readonly channelId: string }
  | { readonly status: 'left'; readonly channelId: string | null };

export type PeerStatus = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

export interface PeerInfo {
  readonly userId: string;
  readonly initiator: boolean;
  readonly status: PeerStatus;
  readonly volumePercent: number;
  readonly locallyMuted: boolean;
  readonly speaking: boolean;
}

export type InputMode = 'voiceActivity' | 'pushToTalk';

/** Processing the browser applies to the microphone (getUserMedia constraints). */
export interface AudioProcessing {
  readonly echoCancellation: boolean;
  readonly noiseSuppression: boolean;
  readonly autoGainControl: boolean;
}

export interface DeviceFallback {
  readonly kind: 'audioinput' | 'audiooutput';
  /** The device that disappeared. */
  readonly lostDeviceId: string;
  readonly lostLabel: string;
  /** Now following the system default. */
  readonly nowDeviceId: 'default';
}

export type VoiceSessionEvents = {
  stateChange: [oldState: VoiceSessionState, newState: VoiceSessionState];
  /** Any peer added, removed or changed status. */
  peersChange: [peers: PeerInfo[]];
  /** Local (userId = self) or remote speaking ring. */
  speaking: [userId: string, speaking: boolean];
  /** Mic level 0..1 after the input volume (what peers hear), about 20 times a second while in voice. */
  inputLevel: [level: number];
  selfStateChange: [self: { selfMute: boolean; selfDeaf: boolean }];
  /** The chosen device vanished; following the system default. */
  deviceFallback: [fallback: DeviceFallback];
  devicesChange: [devices: MediaDeviceInfo[]];
  error: [error: Error];
};

export interface VoiceDebugInfo {
  readonly state: VoiceSessionState;
  readonly selfUserId: string | null;
  readonly selfMute: boolean;
  readonly selfDeaf: boolean;
  readonly inputMode: InputMode;
  readonly pushToTalkActive: boolean;
  readonly microphone: {
    readonly deviceId: string | null;
    readonly label: string | null;
    readonly trackState: MediaStreamTrackState | null;
    readonly trackEnabled: boolean | null;
    /** Input volume 0–200 (%) from the settings. */
    readonly inputVolume: number;
    /** The GainNode's value now (inputVolume / 100) between the device and peers; null outside voice. */
    readonly inputGain: number | null;
    /** Meter level 0..1 after the input gain. */
    readonly lastLevel: number;
    readonly lastAudibleAt: number | null;
    readonly processing: AudioProcessing;
  };
  readonly output: {
    readonly deviceId: string;
    readonly audioContextState: AudioContextState | null;
    /** Each remote user's playback: the gain applied now (0–2) and what it comes from. */
    readonly remotes: readonly RemoteAudioDebug[];
  };
  readonly peers: ReadonlyArray<{
    readonly userId: string;
    readonly initiator: boolean;
    readonly status: PeerStatus;
    readonly signalingState: RTCSignalingState | null;
    readonly iceConnectionState: RTCIceConnectionState | null;
    readonly connectionState: RTCPeerConnectionState | null;
    /** The tracks this peer sends (the microphone after the input gain, a screen share) and receives. */
    readonly localTracks: readonly TrackDebug[];
    readonly remoteTracks: readonly TrackDebug[];
    /** Every m-line: a screen share adds one per track; stopping it leaves them not sending. */
    readonly transceivers: ReadonlyArray<{
      readonly mid: string | null;
      readonly kind: string;
      readonly direction: RTCRtpTransceiverDirection;
      readonly currentDirection: RTCRtpTransceiverDirection | null;
    }>;
    readonly volumePercent: number;
    readonly locallyMuted: boolean;
    /** RMS 0..1 of this user's decoded audio in Web Audio (before their gain); null without a stream. */
    readonly outputLevel: number | null;
    /** Gain 0–2 applied to this user (volume, local mute, deafen); null without a stream. */
    readonly outputGain: number | null;
    readonly lastStats: PeerStatsSummary | null;
  }>;
  readonly members: readonly VoiceState[];
  /** 🖥️ Our share, its watchers and what each connection sends; the shares we see and what we decode. */
  readonly screen: ScreenDebugInfo;
}

export interface TrackDebug {
  readonly id: string;
  readonly kind: string;
  readonly readyState: string;
  readonly enabled: boolean;
}

export interface RemoteAudioDebug {
  readonly userId: string;
  /** The GainNode's current value: volume / 100, or 0 when locally muted or deafened. */
  readonly gain: number;
  readonly volumePercent: number;
  readonly locallyMuted: boolean;
  readonly elementPlaying: boolean;
}

/** What `diagnoseAudioIssues()` returns. */
export interface AudioDiagnosis {
  readonly ok: boolean;
  readonly findings: readonly AudioFinding[];
}

export type { SignalData };
