import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GatewayConnection } from '../../src/gateway/GatewayConnection';
import type { WebSocketConstructor } from '../../src/gateway/WebSocketLike';
import { LocalStorageSettingsStore, MemorySettingsStore } from '../../src/settings/SettingsStore';
import {
  defaultVoiceSettings,
  deviceKey,
  parseVoiceSettings,
  VoiceSettingsRepository,
} from '../../src/settings/VoiceSettings';
import { VoiceSession } from '../../src/voice/VoiceSession';

describe('voice settings', () => {
  it('persist through the store and load back', () => {
    const store = new MemorySettingsStore();
    const repo = new VoiceSettingsRepository(store);
    repo.update({ selfMute: true, inputMode: 'pushToTalk' });
    repo.setUserVolume('bob', 250);
    repo.setUserMuted('eve', true);
    repo.updateDeviceSettings('label:USB Mic', { noiseSuppression: false, speakingThresholdDb: -60 });
    const again = new VoiceSettingsRepository(store).settings;
    expect(again.selfMute).toBe(true);
    expect(again.inputMode).toBe('pushToTalk');
    expect(again.userVolumes.bob).toBe(200); // clamped
    expect(again.userMutes.eve).toBe(true);
    expect(again.devices['label:USB Mic']).toEqual({
      echoCancellation: true,
      noiseSuppression: false,
      autoGainControl: true,
      speakingThresholdDb: -60,
    });
    repo.setUserMuted('eve', false);
    expect(new VoiceSettingsRepository(store).settings.userMutes).toEqual({});
  });

  it('remembers processing per device and gives defaults for unknown ones', () => {
    const repo = new VoiceSettingsRepository(new MemorySettingsStore());
    repo.updateDeviceSettings('label:A', { echoCancellation: false });
    expect(repo.deviceSettings('label:A').echoCancellation).toBe(false);
    expect(repo.deviceSettings('label:B').echoCancellation).toBe(true);
    expect(deviceKey({ deviceId: 'x', label: 'USB Mic' })).toBe('label:USB Mic');
    expect(deviceKey({ deviceId: 'x', label: '' })).toBe('id:x');
  });

  it('tolerates corrupt or hostile stored data field by field', () => {
    expect(parseVoiceSettings('not json')).toEqual(defaultVoiceSettings);
    expect(parseVoiceSettings('null')).toEqual(defaultVoiceSettings);
    const parsed = parseVoiceSettings(
      JSON.stringify({
        selfMute: 'yes',
        inputMode: 'telepathy',
        userVolumes: { bob: 'loud', amy: -5 },
        devices: { 'label:X': { speakingThresholdDb: 40, echoCancellation: false } },
        speakingHangoverMs: 1e9,
      }),
    );
    expect(parsed.selfMute).toBe(false);
    expect(parsed.inputMode).toBe('voiceActivity');
    expect(parsed.userVolumes).toEqual({ amy: 0 });
    expect(parsed.devices['label:X']).toMatchObject({ speakingThresholdDb: 0, echoCancellation: false });
    expect(parsed.speakingHangoverMs).toBe(5000);
  });

  it('LocalStorageSettingsStore prefixes keys and survives a throwing storage', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    const store = new LocalStorageSettingsStore(storage, 'm:');
    store.set('a', '1');
    expect(data.get('m:a')).toBe('1');
    expect(store.get('a')).toBe('1');
    store.remove('a');
    expect(store.get('a')).toBeNull();
    const broken = new LocalStorageSettingsStore({
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    });
    expect(broken.get('a')).toBeNull();
    expect(() => broken.set('a', '1')).not.toThrow();
  });

  it('input volume: 100 % by default, clamped to 0–200 whole percent, persisted, tolerant on load', () => {
    const store = new MemorySettingsStore();
    const repo = new VoiceSettingsRepository(store);
    expect(repo.settings.inputVolume).toBe(100);
    const cases: [number, number][] = [
      [150, 150],
      [250, 200],
      [-5, 0],
      [37.6, 38],
      [Number.NaN, 100],
      [Number.POSITIVE_INFINITY, 100],
      [0, 0],
    ];
    for (const [given, kept] of cases) {
      expect(repo.setInputVolume(given), String(given)).toBe(kept);
      expect(new VoiceSettingsRepository(store).settings.inputVolume, String(given)).toBe(kept);
    }
    expect(parseVoiceSettings(JSON.stringify({ inputVolume: 999 })).inputVolume).toBe(200);
    expect(parseVoiceSettings(JSON.stringify({ inputVolume: 'loud' })).inputVolume).toBe(100);
    expect(parseVoiceSettings(JSON.stringify({ selfMute: true })).inputVolume).toBe(100); // older settings
  });

  it('VoiceSession.setInputVolume outside voice is remembered for the next session', () => {
    const store = new MemorySettingsStore();
    const session = () =>
      new VoiceSession({
        gateway: new GatewayConnection({
          url: 'ws://127.0.0.1:9/ws?v=1',
          getToken: () => 'unused',
          WebSocket: WebSocket as unknown as WebSocketConstructor,
          client: { kind: 'web', version: 'test', platform: 'node' },
        }),
        settingsStore: store,
      });
    const first = session();
    first.setInputVolume(180);
    expect(first.settings.inputVolume).toBe(180);
    expect(first.getDebugInfo().microphone).toMatchObject({ inputVolume: 180, inputGain: null });
    first.setInputVolume(300);
    expect(first.settings.inputVolume).toBe(200);
    first.destroy();
    const second = session();
    expect(second.settings.inputVolume).toBe(200);
    second.destroy();
  });
});
