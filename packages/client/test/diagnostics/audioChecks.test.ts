import { describe, expect, it } from 'vitest';
import {
  type AudioDiagnosticsSnapshot,
  checkInputDevice,
  checkMicLevel,
  checkOutput,
  checkPeers,
  checkPermission,
  checkTrack,
  formatFindings,
  type PeerDiagnostics,
  runAudioChecks,
} from '../../src/diagnostics/audioChecks';

const healthy: AudioDiagnosticsSnapshot = {
  now: 100_000,
  inVoice: true,
  permission: 'granted',
  inputDevices: [
    { deviceId: 'default', label: 'Default' },
    { deviceId: 'mic-1', label: 'USB Mic' },
  ],
  outputDevices: [{ deviceId: 'default', label: 'Speakers' }],
  chosenInputDeviceId: 'mic-1',
  chosenOutputDeviceId: 'default',
  track: { readyState: 'live', enabled: true, muted: false },
  selfMute: false,
  selfDeaf: false,
  pushToTalk: { enabled: false, active: false },
  inputVolume: 100,
  lastAudibleAt: 98_000,
  micStartedAt: 50_000,
  audioContextState: 'running',
  peers: [],
};

const peer = (over: Partial<PeerDiagnostics> = {}): PeerDiagnostics => ({
  userId: 'bob',
  connectionState: 'connected',
  iceConnectionState: 'connected',
  ageMs: 30_000,
  inboundBytes: [1000, 5000],
  candidateType: 'host/host',
  locallyMuted: false,
  volumePercent: 100,
  elementPlaying: true,
  ...over,
});

const severities = (s: AudioDiagnosticsSnapshot) =>
  Object.fromEntries(
    runAudioChecks(s).map((f) => [`${f.check}${f.userId ? `:${f.userId}` : ''}`, f.severity]),
  );

describe('audio checks', () => {
  it('a healthy call has no warning or error', () => {
    const findings = runAudioChecks({ ...healthy, peers: [peer()] });
    expect(findings.filter((f) => f.severity === 'error' || f.severity === 'warning')).toEqual([]);
    expect(severities({ ...healthy, peers: [peer()] })).toMatchObject({
      'microphone-permission': 'ok',
      'microphone-track': 'ok',
      'peer-connected:bob': 'ok',
      'inbound-audio:bob': 'ok',
      'audio-context': 'ok',
    });
  });

  it('blocked permission is an error with a fix', () => {
    const f = checkPermission({ ...healthy, permission: 'denied' });
    expect(f.severity).toBe('error');
    expect(f.fix).toMatch(/Allow the microphone/);
  });

  it('no microphone, or the chosen one unplugged', () => {
    expect(checkInputDevice({ ...healthy, inputDevices: [] }).severity).toBe('error');
    expect(checkInputDevice({ ...healthy, chosenInputDeviceId: 'gone' }).severity).toBe('warning');
    expect(checkInputDevice({ ...healthy, chosenInputDeviceId: 'default' }).severity).toBe('ok');
  });

  it('track ended, disabled without mute, muted by the OS, or intentionally muted', () => {
    expect(checkTrack({ ...healthy, track: null }).severity).toBe('error');
    expect(
      checkTrack({ ...healthy, track: { readyState: 'ended', enabled: true, muted: false } }).severity,
    ).toBe('error');
    expect(
      checkTrack({ ...healthy, track: { readyState: 'live', enabled: false, muted: false } }).severity,
    ).toBe('warning');
    expect(
      checkTrack({ ...healthy, track: { readyState: 'live', enabled: true, muted: true } }).severity,
    ).toBe('warning');
    expect(
      checkTrack({ ...healthy, selfMute: true, track: { readyState: 'live', enabled: false, muted: false } })
        .severity,
    ).toBe('info');
    expect(
      checkTrack({
        ...healthy,
        pushToTalk: { enabled: true, active: false },
        track: { readyState: 'live', enabled: false, muted: false },
      }).severity,
    ).toBe('info');
  });

  it('warns when no sound crossed the threshold recently', () => {
    expect(checkMicLevel({ ...healthy, lastAudibleAt: 80_000 }).severity).toBe('warning');
    expect(checkMicLevel({ ...healthy, lastAudibleAt: null, micStartedAt: 95_000 }).severity).toBe('ok');
    expect(checkMicLevel({ ...healthy, lastAudibleAt: null, micStartedAt: 10_000 }).message).toMatch(/90 s/);
    expect(checkMicLevel({ ...healthy, selfMute: true, lastAudibleAt: null }).severity).toBe('info');
    expect(checkMicLevel({ ...healthy, inputVolume: 0, lastAudibleAt: null })).toMatchObject({
      severity: 'warning',
      message: 'Input volume is 0 %: the others hear silence from you.',
    });
    expect(checkMicLevel({ ...healthy, inputVolume: 200 }).severity).toBe('ok');
  });

  it('peer failures, slow connects, silent inbound audio and a paused element', () => {
    const findings = checkPeers({
      ...healthy,
      peers: [
        peer({ userId: 'f', connectionState: 'failed' }),
        peer({ userId: 'slow', connectionState: 'connecting', ageMs: 20_000 }),
        peer({ userId: 'new', connectionState: 'connecting', ageMs: 2_000 }),
        peer({ userId: 'quiet', inboundBytes: [5000, 5000] }),
        peer({ userId: 'paused', elementPlaying: false }),
        peer({ userId: 'muted', locallyMuted: true }),
      ],
    });
    const by = (u: string, c: string) => findings.find((x) => x.userId === u && x.check === c)?.severity;
    expect(by('f', 'peer-connected')).toBe('error');
    expect(findings.find((x) => x.userId === 'f')?.fix).toMatch(/TURN/);
    expect(by('slow', 'peer-connected')).toBe('error');
    expect(by('new', 'peer-connected')).toBe('info');
    expect(by('quiet', 'inbound-audio')).toBe('warning');
    expect(by('paused', 'audio-element')).toBe('error');
    expect(by('muted', 'user-volume')).toBe('info');
  });

  it('suspended audio context (autoplay) and a missing output device', () => {
    const out = checkOutput({ ...healthy, audioContextState: 'suspended', chosenOutputDeviceId: 'hdmi' });
    expect(out.map((f) => [f.check, f.severity])).toEqual([
      ['audio-context', 'error'],
      ['output-device', 'warning'],
    ]);
    expect(checkOutput({ ...healthy, selfDeaf: true }).some((f) => f.check === 'deafened')).toBe(true);
  });

  it('formats worst first with icons and fixes', () => {
    const lines = formatFindings([
      { check: 'a', severity: 'ok', message: 'fine' },
      { check: 'b', severity: 'error', message: 'broken', fix: 'do this' },
      { check: 'c', severity: 'warning', message: 'hmm' },
    ]);
    expect(lines).toEqual(['❌ [b] broken → do this', '⚠️ [c] hmm', '✅ [a] fine']);
  });
});
