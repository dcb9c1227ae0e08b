import { describe, expect, it } from 'vitest';
import {
  cleanSourceName,
  imageToDataUrl,
  isLoopbackAudioAvailable,
  parseSourceId,
  resolveDisplayMediaRequest,
  shapeSources,
} from '../../src/main/screenSources';
import { validateListSourcesReply } from '../../src/shared/screenIpc';
import { capturerSource, FakeImage } from '../support/capturerSources';

const empty = new FakeImage(0);
const source = capturerSource;

describe('shapeSources', () => {
  it('lists screens first as "Entire screen", then windows by name', () => {
    const shaped = shapeSources([
      source('window:300:0', 'zsh — ~/miscord'),
      source('screen:0:0', 'Entire Screen'),
      source('window:100:0', 'Firefox'),
      source('window:200:0', 'amp — Music'),
    ]);
    expect(shaped.map((s) => [s.kind, s.name])).toEqual([
      ['screen', 'Entire screen'],
      ['window', 'amp — Music'],
      ['window', 'Firefox'],
      ['window', 'zsh — ~/miscord'],
    ]);
    expect(shaped[0]).toMatchObject({ id: 'screen:0:0', displayId: '0', appIcon: null });
    expect(shaped[1]?.displayId).toBeNull();
    expect(shaped[1]?.thumbnail).toMatch(/^data:image\/png;base64,/);
    expect(shaped[1]?.appIcon).toMatch(/^data:image\/png;base64,/);
  });

  it('numbers several screens in display order, whatever their ids', () => {
    const shaped = shapeSources([
      source('screen:7:0', 'Screen 2'),
      source('window:1:0', 'Editor'),
      source('screen:3:0', 'Screen 1'),
    ]);
    expect(shaped.map((s) => [s.id, s.name])).toEqual([
      ['screen:7:0', 'Screen 1'],
      ['screen:3:0', 'Screen 2'],
      ['window:1:0', 'Editor'],
    ]);
  });

  it("drops empty thumbnails (minimised windows), Miscord's own windows, malformed ids and duplicates", () => {
    const shaped = shapeSources(
      [
        source('window:10:0', 'Minimised', { thumbnail: empty }),
        source('window:11:1', 'Miscord (this process)'),
        source('window:12:0', 'Miscord — screen share'),
        source('window:12:5', 'Miscord tab inside the pop-out'),
        source('tab:13:0', 'A tab'),
        source('window:14:0; rm -rf', 'Injected'),
        source('window:15:0', 'Kept'),
        source('window:15:0', 'Kept twice'),
        source('screen:0:0', 'Entire Screen', { thumbnail: empty }),
      ],
      { ownWindowSourceIds: ['window:12:0'] },
    );
    expect(shaped.map((s) => s.name)).toEqual(['Kept']);
  });

  it('sorts names the way people read them: case-insensitive, numbers by value', () => {
    const shaped = shapeSources([
      source('window:1:0', 'notes 10'),
      source('window:2:0', 'Notes 9'),
      source('window:3:0', 'alpha'),
    ]);
    expect(shaped.map((s) => s.name)).toEqual(['alpha', 'Notes 9', 'notes 10']);
  });

  it('cleans names: trimmed, single-spaced, no control or bidi characters, truncated, never empty', () => {
    const shaped = shapeSources([
      source('window:1:0', '  \u202eexe.evil\u202c  \n report  '),
      source('window:2:0', 'x'.repeat(200)),
      source('window:3:0', ' \u200b\t '),
    ]);
    const names = shaped.map((s) => s.name);
    expect(names).toContain('exe.evil report');
    expect(names).toContain(`${'x'.repeat(79)}…`);
    expect(names).toContain('Untitled window');
  });

  it('scales big thumbnails down and drops oversized or malformed ones (the source stays)', () => {
    const big = new FakeImage(1920);
    const shaped = shapeSources(
      [
        source('window:1:0', 'Big', { thumbnail: big }),
        source('window:2:0', 'Weird', { thumbnail: new FakeImage(320, 180, 'javascript:alert(1)') }),
        source('window:3:0', 'Huge', {
          thumbnail: new FakeImage(320, 180, `data:image/png;base64,${'A'.repeat(400_000)}`),
        }),
      ],
      { maxThumbnailWidth: 320 },
    );
    expect(big.resizedTo).toBe(320);
    expect(shaped.find((s) => s.name === 'Big')?.thumbnail).toMatch(/^data:image\/png;base64,A+$/);
    expect(shaped.find((s) => s.name === 'Weird')?.thumbnail).toBeNull();
    expect(shaped.find((s) => s.name === 'Huge')?.thumbnail).toBeNull();
  });

  it('produces exactly what the screen:listSources reply schema accepts', () => {
    const sources = shapeSources([
      source('screen:0:0', 'Entire Screen'),
      source('screen:1:0', 'Screen 2'),
      source('window:99:0', '\u0007Terminal'),
      source('window:98:0', 'y'.repeat(500), { appIcon: null }),
    ]);
    expect(validateListSourcesReply({ sources, audioAvailable: false })).toEqual({
      ok: true,
      value: { sources, audioAvailable: false },
    });
  });
});

describe('a desktop with more windows than a reply holds', () => {
  it('keeps every screen and the first windows by name, within the schema', () => {
    const many = Array.from({ length: 600 }, (_, i) => source(`window:${1000 + i}:0`, `App ${i}`));
    const sources = shapeSources([...many, source('screen:0:0', 'Entire Screen')]);
    expect(sources).toHaveLength(500);
    expect(sources[0]?.kind).toBe('screen');
    expect(sources.at(-1)?.name).toBe('App 498');
    expect(validateListSourcesReply({ sources, audioAvailable: false }).ok).toBe(true);
  });
});

describe('parseSourceId / cleanSourceName / imageToDataUrl', () => {
  it('parses Electron ids', () => {
    expect(parseSourceId('window:1324:0')).toEqual({ kind: 'window', handle: '1324', owner: '0' });
    expect(parseSourceId('screen:0:0')?.kind).toBe('screen');
    expect(parseSourceId('window:1324')).toBeNull();
    expect(parseSourceId('webcam:1:0')).toBeNull();
  });

  it('keeps short clean names as they are and counts characters, not UTF-16 units', () => {
    expect(cleanSourceName('Spotify')).toBe('Spotify');
    expect(cleanSourceName('🎮'.repeat(10), 5)).toBe('🎮🎮🎮🎮…');
  });

  it('gives null for a missing or empty image', () => {
    expect(imageToDataUrl(null, 32, 1000)).toBeNull();
    expect(imageToDataUrl(empty, 32, 1000)).toBeNull();
  });
});

describe('resolveDisplayMediaRequest', () => {
  const offered = shapeSources([source('screen:0:0', 'Entire Screen'), source('window:42:0', 'Game')]);
  const win = { audio: true, platform: 'win32', loopbackExcludesOwnAudio: true };

  it('grants the chosen source by id and name', () => {
    expect(resolveDisplayMediaRequest({ sourceId: 'window:42:0', audio: false }, offered, win)).toEqual({
      grant: true,
      streams: { video: { id: 'window:42:0', name: 'Game' } },
    });
  });

  it('adds Windows loopback only when asked by the page and the user, and safe for the call', () => {
    const choice = { sourceId: 'screen:0:0', audio: true };
    expect(resolveDisplayMediaRequest(choice, offered, win)).toEqual({
      grant: true,
      streams: { video: { id: 'screen:0:0', name: 'Entire screen' }, audio: 'loopback' },
    });
    for (const context of [
      { ...win, audio: false },
      { ...win, platform: 'linux' },
      { ...win, platform: 'darwin' },
      { ...win, loopbackExcludesOwnAudio: false },
      { audio: true, platform: 'win32' },
    ]) {
      const decision = resolveDisplayMediaRequest(choice, offered, context);
      expect(decision.grant && 'audio' in decision.streams).toBe(false);
    }
    const declined = resolveDisplayMediaRequest({ ...choice, audio: false }, offered, win);
    expect(decision(declined)).toEqual({ video: { id: 'screen:0:0', name: 'Entire screen' } });
  });

  it('offers audio in the picker under the same rule it grants it', () => {
    expect(isLoopbackAudioAvailable({ platform: 'win32', loopbackExcludesOwnAudio: true })).toBe(true);
    expect(isLoopbackAudioAvailable({ platform: 'win32' })).toBe(false);
    expect(isLoopbackAudioAvailable({ platform: 'linux', loopbackExcludesOwnAudio: true })).toBe(false);
    expect(isLoopbackAudioAvailable({ platform: 'darwin', loopbackExcludesOwnAudio: true })).toBe(false);
  });

  it('refuses a closed picker and any id that was not offered', () => {
    expect(resolveDisplayMediaRequest(null, offered, win)).toEqual({
      grant: false,
      reason: 'no source chosen (picker closed)',
    });
    const forged = resolveDisplayMediaRequest({ sourceId: 'window:7:0', audio: false }, offered, win);
    expect(forged).toEqual({ grant: false, reason: 'source "window:7:0" was not offered' });
    expect(resolveDisplayMediaRequest({ sourceId: 'screen:0:0', audio: false }, [], win).grant).toBe(false);
  });
});

function decision(d: ReturnType<typeof resolveDisplayMediaRequest>) {
  return d.grant ? d.streams : d.reason;
}
