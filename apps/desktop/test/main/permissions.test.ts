import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, type RendererSource } from '../../src/main/origins';
import { decidePermissionCheck, decidePermissionRequest } from '../../src/main/permissions';

const bundle: RendererSource = { kind: 'bundle', url: APP_ENTRY_URL, origin: APP_ORIGIN };
const own = 'miscord://app/index.html';

describe('decidePermissionRequest', () => {
  it('grants media, display-capture and notifications to our main frame', () => {
    for (const permission of ['media', 'display-capture', 'notifications']) {
      expect(decidePermissionRequest({ permission, requestingUrl: own, isMainFrame: true }, bundle)).toEqual({
        grant: true,
      });
    }
    expect(
      decidePermissionRequest(
        { permission: 'media', requestingUrl: own, isMainFrame: true, mediaTypes: ['audio', 'video'] },
        bundle,
      ),
    ).toEqual({ grant: true });
  });

  it('refuses every other permission, naming it', () => {
    for (const permission of [
      'geolocation',
      'clipboard-read',
      'usb',
      'hid',
      'openExternal',
      'midiSysex',
      'unknown',
    ]) {
      const decision = decidePermissionRequest({ permission, requestingUrl: own, isMainFrame: true }, bundle);
      expect(decision).toEqual({ grant: false, reason: `permission ${permission} is never granted` });
    }
  });

  it('refuses foreign origins, file: pages and sub-frames', () => {
    const foreign = decidePermissionRequest(
      { permission: 'media', requestingUrl: 'https://evil.example/', isMainFrame: true },
      bundle,
    );
    expect(foreign).toEqual({
      grant: false,
      reason: 'media requested by foreign origin https://evil.example',
    });
    expect(
      decidePermissionRequest(
        { permission: 'media', requestingUrl: 'file:///x.html', isMainFrame: true },
        bundle,
      ).grant,
    ).toBe(false);
    expect(
      decidePermissionRequest({ permission: 'media', requestingUrl: own, isMainFrame: false }, bundle),
    ).toEqual({
      grant: false,
      reason: 'media requested by a sub-frame',
    });
  });

  it('refuses unexpected media types', () => {
    const decision = decidePermissionRequest(
      { permission: 'media', requestingUrl: own, isMainFrame: true, mediaTypes: ['audio', 'hologram'] },
      bundle,
    );
    expect(decision).toEqual({ grant: false, reason: 'unexpected media types hologram' });
  });

  it('follows the dev server origin when the renderer comes from it', () => {
    const dev: RendererSource = {
      kind: 'devServer',
      url: 'http://127.0.0.1:5173/',
      origin: 'http://127.0.0.1:5173',
    };
    const facts = { permission: 'media', isMainFrame: true };
    expect(decidePermissionRequest({ ...facts, requestingUrl: 'http://127.0.0.1:5173/' }, dev).grant).toBe(
      true,
    );
    expect(decidePermissionRequest({ ...facts, requestingUrl: own }, dev).grant).toBe(false);
  });
});

describe('decidePermissionCheck', () => {
  it('answers true only for granted permissions from our origin', () => {
    expect(decidePermissionCheck('media', 'miscord://app', bundle)).toBe(true);
    expect(decidePermissionCheck('media', 'miscord://app/', bundle)).toBe(true);
    expect(decidePermissionCheck('notifications', APP_ORIGIN, bundle)).toBe(true);
    expect(decidePermissionCheck('geolocation', APP_ORIGIN, bundle)).toBe(false);
    expect(decidePermissionCheck('media', 'https://evil.example', bundle)).toBe(false);
    expect(decidePermissionCheck('media', '', bundle)).toBe(false);
    expect(decidePermissionCheck('media', 'null', bundle)).toBe(false);
  });
});
