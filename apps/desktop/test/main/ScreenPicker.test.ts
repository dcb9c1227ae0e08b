import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, type RendererSource } from '../../src/main/origins';
import {
  DEFAULT_CHOICE_TTL_MS,
  type DisplayMediaRequestFacts,
  ScreenPicker,
  type ScreenPickerOptions,
} from '../../src/main/ScreenPicker';
import type { CapturerSource } from '../../src/main/screenSources';
import { validateChooseReply, validateListSourcesReply } from '../../src/shared/screenIpc';
import { capturerSource } from '../support/capturerSources';

const bundle: RendererSource = { kind: 'bundle', url: APP_ENTRY_URL, origin: APP_ORIGIN };
const listed = [
  capturerSource('screen:0:0', 'Entire Screen'),
  capturerSource('window:42:0', 'Game'),
  capturerSource('window:77:0', 'Miscord'),
];
const ownPage: DisplayMediaRequestFacts = {
  frame: { url: 'miscord://app/index.html', isMainFrame: true },
  securityOrigin: 'miscord://app',
  audioRequested: true,
};

function picker(options: Partial<ScreenPickerOptions> = {}) {
  const clock = { now: 1_000 };
  const screens = new ScreenPicker<CapturerSource>({
    source: bundle,
    platform: 'linux',
    loopbackExcludesOwnAudio: false,
    now: () => clock.now,
    ...options,
  });
  return { screens, clock };
}

describe('ScreenPicker', () => {
  it('offers the shaped list without our own windows, and says whether audio can be shared', () => {
    const { screens } = picker();
    const reply = screens.offer(listed, ['window:77:0']);
    expect(reply.sources.map((source) => source.id)).toEqual(['screen:0:0', 'window:42:0']);
    expect(reply.audioAvailable).toBe(false);
    expect(validateListSourcesReply(reply).ok).toBe(true);
    expect(screens.state.status).toBe('offered');
    expect(picker({ platform: 'win32', loopbackExcludesOwnAudio: true }).screens.audioAvailable).toBe(true);
    expect(picker({ platform: 'win32' }).screens.audioAvailable).toBe(false);
  });

  it('grants exactly the chosen capturer source, once', () => {
    const { screens } = picker();
    screens.offer(listed, []);
    expect(screens.choose({ sourceId: 'window:42:0', audio: false })).toEqual({ ok: true });
    const answer = screens.answer(ownPage);
    expect(answer).toEqual({ grant: true, video: listed[1] });
    // The very object desktopCapturer returned, not a copy: Electron wants its source back.
    expect(answer.grant && answer.video).toBe(listed[1]);
    expect(screens.answer(ownPage)).toEqual({
      grant: false,
      reason: expect.stringMatching(/no source chosen/),
    });
  });

  it('gives loopback audio only where the voice chat stays out of it, and only when asked twice', () => {
    const safe = picker({ platform: 'win32', loopbackExcludesOwnAudio: true }).screens;
    const grantFor = (screens: ScreenPicker<CapturerSource>, audio: boolean, audioRequested: boolean) => {
      screens.offer(listed, []);
      screens.choose({ sourceId: 'screen:0:0', audio });
      return screens.answer({ ...ownPage, audioRequested });
    };
    expect(grantFor(safe, true, true)).toMatchObject({ grant: true, audio: 'loopback' });
    expect(grantFor(safe, false, true)).not.toHaveProperty('audio');
    expect(grantFor(safe, true, false)).not.toHaveProperty('audio');
    for (const unsafe of [picker({ platform: 'win32' }), picker({ platform: 'linux' })]) {
      expect(grantFor(unsafe.screens, true, true)).toEqual({ grant: true, video: listed[0] });
    }
  });

  it('expires a kept choice after the TTL, and uses it up even then', () => {
    const { screens, clock } = picker();
    screens.offer(listed, []);
    screens.choose({ sourceId: 'screen:0:0', audio: false });
    clock.now += DEFAULT_CHOICE_TTL_MS;
    expect(screens.state.status).toBe('chosen');
    screens.choose({ sourceId: 'screen:0:0', audio: false });
    clock.now += DEFAULT_CHOICE_TTL_MS + 1;
    expect(screens.answer(ownPage)).toEqual({
      grant: false,
      reason: 'the choice of screen:0:0 expired 1 ms ago',
    });
    expect(screens.state.status).toBe('offered');
  });

  it('refuses a bad payload with the field named, and keeps the previous choice', () => {
    const { screens } = picker();
    expect(screens.choose({ sourceId: 'screen:0:0', audio: false })).toEqual({
      ok: false,
      error: 'screen choice: no sources were listed',
    });
    screens.offer(listed, ['window:77:0']);
    screens.choose({ sourceId: 'window:42:0', audio: false });
    const cases: [unknown, RegExp][] = [
      [{ sourceId: 'window:42:0' }, /audio/],
      [{ sourceId: 'window:42:0', audio: 'yes' }, /\/audio/],
      [{ sourceId: 'javascript:alert(1)', audio: false }, /\/sourceId/],
      [{ sourceId: 'window:77:0', audio: false }, /\/sourceId "window:77:0" was not offered/],
      [{ sourceId: 'window:9:0', audio: false }, /not offered/],
      [{ sourceId: 'window:42:0', audio: false, ['x'.repeat(500)]: 1 }, /is not allowed|…$/],
    ];
    for (const [payload, error] of cases) {
      const reply = screens.choose(payload);
      expect(reply).toEqual({ ok: false, error: expect.stringMatching(error) });
      expect(validateChooseReply(reply).ok).toBe(true);
    }
    expect(screens.answer(ownPage)).toMatchObject({ grant: true, video: { id: 'window:42:0' } });
  });

  it('drops a kept choice on cancel and on a new list', () => {
    const { screens } = picker();
    screens.offer(listed, []);
    screens.choose({ sourceId: 'screen:0:0', audio: false });
    screens.cancel();
    expect(screens.answer(ownPage)).toMatchObject({ grant: false });
    screens.choose({ sourceId: 'screen:0:0', audio: false });
    screens.offer(listed, []);
    expect(screens.answer(ownPage)).toMatchObject({ grant: false });
    screens.cancel();
    expect(screens.state.status).toBe('offered');
  });

  it('answers our main frame only, and leaves the choice to it', () => {
    const { screens } = picker();
    screens.offer(listed, []);
    screens.choose({ sourceId: 'screen:0:0', audio: false });
    const strangers: DisplayMediaRequestFacts[] = [
      {
        ...ownPage,
        frame: { url: 'https://evil.example/', isMainFrame: true },
        securityOrigin: 'https://evil.example',
      },
      { ...ownPage, frame: { url: 'miscord://app/index.html', isMainFrame: false } },
      { ...ownPage, frame: { url: undefined, isMainFrame: false } },
      // A frame that claims our URL but whose document has another origin.
      { ...ownPage, securityOrigin: 'https://evil.example' },
      {
        ...ownPage,
        frame: { url: 'miscord://evil/index.html', isMainFrame: true },
        securityOrigin: 'miscord://evil',
      },
    ];
    for (const request of strangers) {
      expect(screens.answer(request)).toEqual({
        grant: false,
        reason: expect.stringMatching(/^request from /),
      });
    }
    expect(screens.answer({ ...ownPage, securityOrigin: 'miscord://app/' })).toMatchObject({ grant: true });
  });
});
