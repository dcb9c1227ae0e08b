import { describe, expect, it } from 'vitest';
import {
  deviceOptions,
  keyLabel,
  meterFraction,
  meterLevelToDb,
} from '../../../src/renderer/state/audioSettings';
import { checkDisplayName } from '../../../src/renderer/state/displayName';
import { gatewaySocketUrl } from '../../../src/renderer/state/gatewayUrl';
import { avatarColourOf, initialsOf } from '../../../src/renderer/state/initials';
import { takeLegacyInputVolume } from '../../../src/renderer/state/inputVolume';
import { amplitudeToDb } from '../../../src/renderer/state/MicTest';
import { defaultServerUrl, parseServerUrl } from '../../../src/renderer/state/serverUrl';

describe('checkDisplayName', () => {
  it('accepts 1–32 visible characters, trimmed', () => {
    expect(checkDisplayName('  Ada  ')).toEqual({ ok: true, name: 'Ada' });
    expect(checkDisplayName('x'.repeat(32))).toEqual({ ok: true, name: 'x'.repeat(32) });
    expect(checkDisplayName('Zoë 🎧')).toEqual({ ok: true, name: 'Zoë 🎧' });
  });

  it('names the problem', () => {
    expect(checkDisplayName('')).toEqual({ ok: false, error: 'Enter a display name.' });
    expect(checkDisplayName('   ')).toEqual({ ok: false, error: 'Enter a display name.' });
    expect(checkDisplayName('\u200b\u200b')).toEqual({ ok: false, error: 'Enter a display name.' });
    expect(checkDisplayName('x'.repeat(33))).toEqual({
      ok: false,
      error: 'Display name must be at most 32 characters.',
    });
    expect(checkDisplayName('a\u0007b')).toEqual({
      ok: false,
      error: 'Display name cannot contain control characters.',
    });
  });
});

describe('server URLs', () => {
  it('defaults to the page origin only over http(s)', () => {
    expect(defaultServerUrl({ protocol: 'https:', origin: 'https://voice.example.com' })).toBe(
      'https://voice.example.com',
    );
    expect(defaultServerUrl({ protocol: 'miscord:', origin: 'null' })).toBeNull();
    expect(defaultServerUrl({ protocol: 'file:', origin: 'null' })).toBeNull();
  });

  it('normalises what the user typed to an origin', () => {
    expect(parseServerUrl('127.0.0.1:8787')).toEqual({ ok: true, url: 'http://127.0.0.1:8787' });
    expect(parseServerUrl(' https://voice.example.com/some/page ')).toEqual({
      ok: true,
      url: 'https://voice.example.com',
    });
    expect(parseServerUrl('')).toEqual({ ok: false, error: 'Enter the server address.' });
    expect(parseServerUrl('ftp://x')).toMatchObject({ ok: false, error: /http/ });
    expect(parseServerUrl('http://a:b@host')).toMatchObject({ ok: false, error: /password/ });
    expect(parseServerUrl('http://exa mple.com')).toEqual({
      ok: false,
      error: 'That is not a valid address.',
    });
  });

  it('derives the gateway socket URL', () => {
    expect(gatewaySocketUrl('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787/ws?v=1');
    expect(gatewaySocketUrl('https://voice.example.com')).toBe('wss://voice.example.com/ws?v=1');
  });
});

describe('avatars', () => {
  it('uses up to two initials', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL');
    expect(initialsOf('linus')).toBe('LI');
    expect(initialsOf('grace brewster hopper')).toBe('GB');
    expect(initialsOf('🎧 dj')).toBe('🎧D');
    expect(initialsOf('   ')).toBe('?');
  });

  it('gives each user a stable colour', () => {
    expect(avatarColourOf('u1')).toBe(avatarColourOf('u1'));
    expect(avatarColourOf('u1')).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('audio settings helpers', () => {
  it('maps dBFS onto the meter', () => {
    expect(meterFraction(-100)).toBe(0);
    expect(meterFraction(-50)).toBe(0.5);
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(12)).toBe(1);
    expect(meterFraction(Number.NEGATIVE_INFINITY)).toBe(0);
    // VoiceSession's inputLevel uses the same span: a round trip gives the dB back.
    expect(meterLevelToDb(meterFraction(-37))).toBeCloseTo(-37);
    expect(meterLevelToDb(1)).toBe(0);
    expect(meterLevelToDb(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(amplitudeToDb(1)).toBe(0);
    expect(amplitudeToDb(0.1)).toBeCloseTo(-20);
    expect(amplitudeToDb(0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('labels keys readably', () => {
    expect(keyLabel('KeyV')).toBe('V');
    expect(keyLabel('Digit1')).toBe('1');
    expect(keyLabel('ControlLeft')).toBe('Left Ctrl');
    expect(keyLabel('ShiftRight')).toBe('Right Shift');
    expect(keyLabel('F13')).toBe('F13');
  });

  it('lists devices with the default first and names unlabeled ones', () => {
    const device = (kind: MediaDeviceKind, deviceId: string, label: string) =>
      ({ kind, deviceId, label, groupId: '', toJSON: () => ({}) }) as MediaDeviceInfo;
    const devices = [
      device('audioinput', 'default', 'Default - Mic'),
      device('audioinput', 'abc', 'USB Mic'),
      device('audioinput', 'def', ''),
      device('audiooutput', 'out1', 'Speakers'),
      device('videoinput', 'cam', 'Camera'),
    ];
    expect(deviceOptions(devices, 'audioinput')).toEqual([
      { deviceId: 'default', label: 'Default' },
      { deviceId: 'abc', label: 'USB Mic' },
      { deviceId: 'def', label: 'Microphone 3' },
    ]);
    expect(deviceOptions(devices, 'audiooutput')).toEqual([
      { deviceId: 'default', label: 'Default' },
      { deviceId: 'out1', label: 'Speakers' },
    ]);
  });

  it('hands the old renderer-only input volume over once, then forgets it', () => {
    const storage = (value: string | null) => {
      const data = new Map(value === null ? [] : [['miscord.inputVolume', value]]);
      return {
        data,
        getItem: (key: string) => data.get(key) ?? null,
        removeItem: (key: string) => void data.delete(key),
      };
    };
    expect(takeLegacyInputVolume(storage(null))).toBeNull();
    const old = storage('150');
    expect(takeLegacyInputVolume(old)).toBe(150);
    expect(old.data.size).toBe(0);
    expect(takeLegacyInputVolume(old)).toBeNull();
    expect(takeLegacyInputVolume(storage('999'))).toBe(999); // voice.setInputVolume clamps
    for (const junk of ['nope', '', 'Infinity']) {
      const bad = storage(junk);
      expect(takeLegacyInputVolume(bad), junk).toBeNull();
      expect(bad.data.size, junk).toBe(0);
    }
    const denied = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      removeItem: () => undefined,
    };
    expect(takeLegacyInputVolume(denied)).toBeNull();
  });
});
