import { describe, expect, it } from 'vitest';
import { isIpcChannel } from '../../src/shared/ipc';
import {
  isScreenIpcChannel,
  ScreenIpcChannel,
  screenIpcChannels,
  validateChooseReply,
  validateListSourcesReply,
  validateScreenChoice,
} from '../../src/shared/screenIpc';
import { pickerTile } from '../support/capturerSources';

const tile = pickerTile;

describe('screen IPC channels', () => {
  it('are domain:action names under screen:, distinct from the app channels', () => {
    expect(screenIpcChannels).toEqual(['screen:listSources', 'screen:choose', 'screen:cancel']);
    for (const channel of screenIpcChannels) {
      expect(channel).toMatch(/^screen:[a-z][A-Za-z]+$/);
      expect(isIpcChannel(channel)).toBe(false);
    }
    expect(isScreenIpcChannel(ScreenIpcChannel.Choose)).toBe(true);
    expect(isScreenIpcChannel('screen:rm')).toBe(false);
    expect(isScreenIpcChannel(undefined)).toBe(false);
  });
});

describe('validateScreenChoice', () => {
  it('accepts a desktopCapturer id with an audio flag', () => {
    expect(validateScreenChoice({ sourceId: 'screen:0:0', audio: true })).toEqual({
      ok: true,
      value: { sourceId: 'screen:0:0', audio: true },
    });
  });

  it('names what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      [null, /screen choice: \/ /],
      [{ sourceId: 'screen:0:0' }, /audio/],
      [{ sourceId: 'screen:0:0', audio: 'yes' }, /\/audio/],
      [{ sourceId: 'file:///etc/passwd', audio: false }, /\/sourceId must match pattern/],
      [{ sourceId: 'screen:0:0', audio: false, extra: 1 }, /\/extra is not allowed/],
    ];
    for (const [value, error] of cases) {
      const result = validateScreenChoice(value);
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.error).toMatch(error);
    }
  });
});

describe('validateListSourcesReply', () => {
  it('accepts tiles with PNG or JPEG data URLs or none', () => {
    const reply = {
      sources: [tile, { ...tile, id: 'screen:0:0', kind: 'screen', thumbnail: null, displayId: '1' }],
      audioAvailable: true,
    };
    expect(validateListSourcesReply(reply)).toEqual({ ok: true, value: reply });
    expect(
      validateListSourcesReply({
        sources: [{ ...tile, thumbnail: 'data:image/jpeg;base64,/9j/4AAQ' }],
        audioAvailable: false,
      }).ok,
    ).toBe(true);
  });

  it('refuses anything but an image data URL in an <img src>', () => {
    for (const thumbnail of [
      'javascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'https://evil.example/x.png',
      'data:image/svg+xml;base64,PHN2Zz4=',
    ]) {
      const result = validateListSourcesReply({ sources: [{ ...tile, thumbnail }], audioAvailable: false });
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.error).toMatch(/\/sources\/0\/thumbnail/);
    }
  });

  it('refuses unknown kinds, empty names and missing fields', () => {
    expect(validateListSourcesReply({ sources: [{ ...tile, kind: 'tab' }], audioAvailable: true }).ok).toBe(
      false,
    );
    expect(validateListSourcesReply({ sources: [{ ...tile, name: '' }], audioAvailable: true }).ok).toBe(
      false,
    );
    expect(validateListSourcesReply({ sources: [] }).ok).toBe(false);
  });
});

describe('validateChooseReply', () => {
  it('accepts ok and an error with a reason', () => {
    expect(validateChooseReply({ ok: true }).ok).toBe(true);
    expect(validateChooseReply({ ok: false, error: 'source was not offered' }).ok).toBe(true);
    expect(validateChooseReply({ ok: false }).ok).toBe(false);
    expect(validateChooseReply({ ok: true, error: 'x' }).ok).toBe(false);
  });
});
