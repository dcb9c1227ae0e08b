import type { AudioFinding } from './types';

export interface PeerDiagnostics {
  readonly userId: string;
  readonly connectionState: RTCPeerConnectionState | 'new' | null;
  readonly iceConnectionState: RTCIceConnectionState | null;
  /** ms since the peer was created. */
  readonly ageMs: number;
  /** Inbound audio bytes in the last two stats samples (null before two samples exist). */
  readonly inboundBytes: readonly [previous: number, current: number] | null;
  readonly candidateType: string | null;
  readonly locallyMuted: boolean;
  readonly volumePercent: number;
  /** The <audio> element that makes Chromium decode the stream is playing. */
  readonly elementPlaying: boolean | null;
}

/** Everything the checks look at, gathered by VoiceSession (pure data, so tests use literals). */
export interface AudioDiagnosticsSnapshot {
  readonly now: number;
  readonly inVoice: boolean;
  readonly permission: PermissionState | 'unknown';
  readonly inputDevices: ReadonlyArray<{ readonly deviceId: string; readonly label: string }>;
  readonly outputDevices: ReadonlyArray<{ readonly deviceId: string; readonly label: string }>;
  readonly chosenInputDeviceId: string;
  readonly chosenOutputDeviceId: string;
  readonly track: {
    readonly readyState: MediaStreamTrackState;
    readonly enabled: boolean;
    readonly muted: boolean;
  } | null;
  readonly selfMute: boolean;
  readonly selfDeaf: boolean;
  readonly pushToTalk: { readonly enabled: boolean; readonly active: boolean };
  /** Input volume 0–200 (%) applied before peers (and the level below) get the microphone. */
  readonly inputVolume: number;
  /** Last time the mic level (after the input volume) crossed the speaking threshold. */
  readonly lastAudibleAt: number | null;
  /** When the microphone was opened. */
  readonly micStartedAt: number | null;
  readonly audioContextState: AudioContextState | null;
  readonly peers: readonly PeerDiagnostics[];
}

const SILENT_MIC_AFTER_MS = 10_000;
const PEER_CONNECT_GRACE_MS = 10_000;

export function checkPermission(s: AudioDiagnosticsSnapshot): AudioFinding {
  const check = 'microphone-permission';
  if (s.permission === 'denied')
    return {
      check,
      severity: 'error',
      message: 'Microphone access is blocked.',
      fix: 'Allow the microphone for this app in the browser site settings or the OS privacy settings, then rejoin.',
    };
  if (s.permission === 'prompt')
    return {
      check,
      severity: 'warning',
      message: 'Microphone permission has not been granted yet.',
      fix: 'Join a voice channel and accept the prompt.',
    };
  if (s.permission === 'unknown')
    return { check, severity: 'info', message: 'Microphone permission state is not available here.' };
  return { check, severity: 'ok', message: 'Microphone permission granted.' };
}

export function checkInputDevice(s: AudioDiagnosticsSnapshot): AudioFinding {
  const check = 'input-device';
  if (s.inputDevices.length === 0)
    return {
      check,
      severity: 'error',
      message: 'No microphone found.',
      fix: 'Plug in a microphone or check that the OS sees it.',
    };
  if (
    s.chosenInputDeviceId !== 'default' &&
    !s.inputDevices.some((d) => d.deviceId === s.chosenInputDeviceId)
  )
    return {
      check,
      severity: 'warning',
      message: 'The chosen microphone is not connected; using the system default.',
      fix: 'Reconnect it, or pick another input device in voice settings.',
    };
  return { check, severity: 'ok', message: `${s.inputDevices.length} microphone(s) present.` };
}

export function checkTrack(s: AudioDiagnosticsSnapshot): AudioFinding {
  const check = 'microphone-track';
  if (!s.inVoice) return { check, severity: 'info', message: 'Not in voice: no microphone track is open.' };
  if (!s.track)
    return {
      check,
      severity: 'error',
      message: 'In voice but no microphone track.',
      fix: 'Rejoin the channel; check the permission and device checks above.',
    };
  if (s.track.readyState === 'ended')
    return {
      check,
      severity: 'error',
      message: 'The microphone track has ended (device unplugged or taken by another app).',
      fix: 'Pick the input device again in voice settings.',
    };
  if (s.selfMute || s.selfDeaf)
    return { check, severity: 'info', message: 'You are muted: the track is disabled on purpose.' };
  if (s.pushToTalk.enabled && !s.pushToTalk.active)
    return {
      check,
      severity: 'info',
      message: 'Push-to-talk: the track is enabled only while the key is held.',
    };
  if (!s.track.enabled)
    return {
      check,
      severity: 'warning',
      message: 'The microphone track is disabled although you are not muted.',
      fix: 'Toggle mute off and on.',
    };
  if (s.track.muted)
    return {
      check,
      severity: 'warning',
      message: 'The OS or browser delivers no audio on the track (track.muted).',
      fix: 'Check the OS input mute switch or another app holding the device.',
    };
  return { check, severity: 'ok', message: 'Microphone track is live and enabled.' };
}

export function checkMicLevel(s: AudioDiagnosticsSnapshot): AudioFinding {
  const check = 'microphone-level';
  if (!s.inVoice || !s.track || s.selfMute || s.selfDeaf || s.micStartedAt === null)
    return { check, severity: 'info', message: 'Microphone level not checked (not in voice or muted).' };
  if (s.inputVolume === 0)
    return {
      check,
      severity: 'warning',
      message: 'Input volume is 0 %: the others hear silence from you.',
      fix: 'Raise Input volume in voice settings.',
    };
  const since = s.lastAudibleAt === null ? s.now - s.micStartedAt : s.now - s.lastAudibleAt;
  if (since > SILENT_MIC_AFTER_MS)
    return {
      check,
      severity: 'warning',
      message: `No sound above the speaking threshold for ${Math.round(since / 1000)} s.`,
      fix: 'Speak to test; if the meter stays flat pick another input device, raise the OS input volume or lower the sensitivity threshold.',
    };
  return { check, severity: 'ok', message: 'Microphone level seen recently.' };
}

export function checkPeers(s: AudioDiagnosticsSnapshot): AudioFinding[] {
  const out: AudioFinding[] = [];
  for (const p of s.peers) {
    const userId = p.userId;
    const state = p.connectionState ?? p.iceConnectionState;
    if (state === 'failed')
      out.push({
        check: 'peer-connected',
        userId,
        severity: 'error',
        message: `Connection to ${userId} failed.`,
        fix: 'A firewall or NAT blocks direct audio: configure a TURN server on the gateway.',
      });
    else if (state !== 'connected' && state !== 'completed')
      out.push(
        p.ageMs > PEER_CONNECT_GRACE_MS
          ? {
              check: 'peer-connected',
              userId,
              severity: 'error',
              message: `Still not connected to ${userId} after ${Math.round(p.ageMs / 1000)} s (${state}).`,
              fix: 'Check the network; a TURN server helps behind strict NATs.',
            }
          : {
              check: 'peer-connected',
              userId,
              severity: 'info',
              message: `Connecting to ${userId} (${state}).`,
            },
      );
    else {
      out.push({
        check: 'peer-connected',
        userId,
        severity: 'ok',
        message: `Connected to ${userId} (${p.candidateType ?? 'unknown'} candidate).`,
      });
      if (p.inboundBytes && p.inboundBytes[1] <= p.inboundBytes[0])
        out.push({
          check: 'inbound-audio',
          userId,
          severity: 'warning',
          message: `No audio packets arriving from ${userId}.`,
          fix: `${userId} may be muted or their microphone may be dead; ask them to run diagnoseAudioIssues().`,
        });
      else if (p.inboundBytes)
        out.push({
          check: 'inbound-audio',
          userId,
          severity: 'ok',
          message: `Audio arriving from ${userId}.`,
        });
      if (p.elementPlaying === false)
        out.push({
          check: 'audio-element',
          userId,
          severity: 'error',
          message: `The audio element for ${userId} is not playing, so Chromium does not decode their audio.`,
          fix: 'Click anywhere in the window (autoplay rules) or rejoin.',
        });
    }
    if (p.locallyMuted || p.volumePercent === 0)
      out.push({
        check: 'user-volume',
        userId,
        severity: 'info',
        message: `You muted ${userId} locally or set their volume to 0 %.`,
      });
  }
  return out;
}

export function checkOutput(s: AudioDiagnosticsSnapshot): AudioFinding[] {
  const out: AudioFinding[] = [];
  if (s.audioContextState === 'suspended')
    out.push({
      check: 'audio-context',
      severity: 'error',
      message:
        'Audio is suspended by the autoplay policy: you hear nobody, and your microphone sends silence.',
      fix: 'Click anywhere in the window; Miscord resumes audio on the next user gesture.',
    });
  else if (s.audioContextState === 'closed')
    out.push({
      check: 'audio-context',
      severity: 'error',
      message: 'The audio context is closed.',
      fix: 'Rejoin the channel.',
    });
  else if (s.audioContextState === 'running')
    out.push({
      check: 'audio-context',
      severity: 'ok',
      message: 'Audio (playback and microphone) is running.',
    });
  if (
    s.chosenOutputDeviceId !== 'default' &&
    !s.outputDevices.some((d) => d.deviceId === s.chosenOutputDeviceId)
  )
    out.push({
      check: 'output-device',
      severity: 'warning',
      message: 'The chosen output device is not connected; playing on the system default.',
      fix: 'Reconnect it or pick another output device.',
    });
  else out.push({ check: 'output-device', severity: 'ok', message: 'Output device present.' });
  if (s.selfDeaf)
    out.push({
      check: 'deafened',
      severity: 'info',
      message: 'You are deafened: all incoming audio is silenced.',
      fix: 'Undeafen to hear others.',
    });
  return out;
}

/** Every check, in the order a person would walk through them. */
export function runAudioChecks(s: AudioDiagnosticsSnapshot): AudioFinding[] {
  return [
    checkPermission(s),
    checkInputDevice(s),
    checkTrack(s),
    checkMicLevel(s),
    ...checkPeers(s),
    ...checkOutput(s),
  ];
}

const icon = { ok: '✅', info: 'ℹ️', warning: '⚠️', error: '❌' } as const;

/** Lines for the console, worst first. */
export function formatFindings(findings: readonly AudioFinding[]): string[] {
  const order = { error: 0, warning: 1, info: 2, ok: 3 } as const;
  return [...findings]
    .sort((a, b) => order[a.severity] - order[b.severity])
    .map((f) => `${icon[f.severity]} [${f.check}] ${f.message}${f.fix ? ` → ${f.fix}` : ''}`);
}
