import type { VoiceState } from '@miscord/protocol';
import type { AudioDiagnosticsSnapshot } from '../diagnostics/audioChecks';
import type { ScreenShare } from '../screen/ScreenShare';
import type { VoiceSettings } from '../settings/VoiceSettings';
import type { PeerConnection } from './PeerConnection';
import type { VoiceDebugInfo, VoiceSessionState } from './types';
import type { VoiceMedia } from './VoiceMedia';

/** What VoiceSession hands to the debug and diagnostics builders. */
export interface VoiceDebugView {
  readonly state: VoiceSessionState;
  readonly selfUserId: string | null;
  readonly settings: VoiceSettings;
  readonly media: VoiceMedia;
  readonly peers: readonly PeerConnection[];
  readonly members: readonly VoiceState[];
  readonly screen: Pick<ScreenShare, 'debugInfo'>;
}

const trackInfo = (t: MediaStreamTrack) => ({
  id: t.id,
  kind: t.kind,
  readyState: t.readyState,
  enabled: t.enabled,
});

function senderTracks(pc: RTCPeerConnection | null): MediaStreamTrack[] {
  return pc?.getSenders().flatMap((s) => (s.track ? [s.track] : [])) ?? [];
}
function receiverTracks(pc: RTCPeerConnection | null): MediaStreamTrack[] {
  return pc?.getReceivers().flatMap((r) => (r.track ? [r.track] : [])) ?? [];
}

export function buildVoiceDebugInfo(v: VoiceDebugView): VoiceDebugInfo {
  const track = v.media.track;
  const s = v.settings;
  return {
    state: v.state,
    selfUserId: v.selfUserId,
    selfMute: s.selfMute,
    selfDeaf: s.selfDeaf,
    inputMode: s.inputMode,
    pushToTalkActive: v.media.pushToTalkActive,
    microphone: {
      deviceId: v.media.mic?.options?.deviceId ?? null,
      label: track?.label ?? null,
      trackState: track?.readyState ?? null,
      trackEnabled: track?.enabled ?? null,
      inputVolume: s.inputVolume,
      inputGain: v.media.inputGain,
      lastLevel: v.media.inputLevel,
      lastAudibleAt: v.media.lastAudibleAt,
      processing: v.media.processing(),
    },
    output: {
      deviceId: v.media.output?.sinkId ?? s.outputDeviceId,
      audioContextState: v.media.context?.state ?? null,
      remotes: v.media.output?.debugInfo() ?? [],
    },
    peers: v.peers.map((p) => {
      const pc = p.pc;
      return {
        userId: p.userId,
        initiator: p.initiator,
        status: p.status,
        signalingState: pc?.signalingState ?? null,
        iceConnectionState: pc?.iceConnectionState ?? null,
        connectionState: pc?.connectionState ?? null,
        localTracks: senderTracks(pc).map(trackInfo),
        remoteTracks: receiverTracks(pc).map(trackInfo),
        transceivers:
          pc?.getTransceivers().map((t) => ({
            mid: t.mid,
            kind: t.receiver.track.kind,
            direction: t.direction,
            currentDirection: t.currentDirection,
          })) ?? [],
        volumePercent: s.userVolumes[p.userId] ?? 100,
        locallyMuted: !!s.userMutes[p.userId],
        outputLevel: v.media.output?.level(p.userId) ?? null,
        outputGain: v.media.output?.gainOf(p.userId) ?? null,
        lastStats: p.lastStats,
      };
    }),
    members: v.members,
    screen: v.screen.debugInfo(),
  };
}

async function microphonePermission(): Promise<AudioDiagnosticsSnapshot['permission']> {
  try {
    const status = await globalThis.navigator?.permissions?.query({ name: 'microphone' as PermissionName });
    return status?.state ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Gather the snapshot the pure checks in diagnostics/audioChecks.ts run over. */
export async function gatherDiagnostics(v: VoiceDebugView): Promise<AudioDiagnosticsSnapshot> {
  let devices: MediaDeviceInfo[] = [];
  try {
    devices = await v.media.mediaDevices().enumerateDevices();
  } catch {
    devices = [];
  }
  const pick = (kind: MediaDeviceKind) =>
    devices.filter((d) => d.kind === kind).map((d) => ({ deviceId: d.deviceId, label: d.label }));
  const track = v.media.track;
  const inVoice =
    v.state.status === 'joining' || v.state.status === 'connected' || v.state.status === 'interrupted';
  const now = Date.now();
  return {
    now,
    inVoice,
    permission: await microphonePermission(),
    inputDevices: pick('audioinput'),
    outputDevices: pick('audiooutput'),
    chosenInputDeviceId: v.settings.inputDeviceId,
    chosenOutputDeviceId: v.settings.outputDeviceId,
    track: track ? { readyState: track.readyState, enabled: track.enabled, muted: track.muted } : null,
    selfMute: v.settings.selfMute,
    selfDeaf: v.settings.selfDeaf,
    pushToTalk: { enabled: v.settings.inputMode === 'pushToTalk', active: v.media.pushToTalkActive },
    inputVolume: v.settings.inputVolume,
    lastAudibleAt: v.media.lastAudibleAt,
    micStartedAt: v.media.mic?.startedAt ?? null,
    audioContextState: v.media.context?.state ?? null,
    peers: v.peers.map((p) => {
      const pc = p.pc;
      const stats = p.lastStats;
      return {
        userId: p.userId,
        connectionState: pc?.connectionState ?? null,
        iceConnectionState: pc?.iceConnectionState ?? null,
        ageMs: now - p.createdAt,
        inboundBytes: p.inboundBytesHistory(),
        candidateType: stats?.candidatePair
          ? `${stats.candidatePair.localType}/${stats.candidatePair.remoteType}`
          : null,
        locallyMuted: !!v.settings.userMutes[p.userId],
        volumePercent: v.settings.userVolumes[p.userId] ?? 100,
        elementPlaying: v.media.output?.elementPlaying(p.userId) ?? null,
      };
    }),
  };
}
