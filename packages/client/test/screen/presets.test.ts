import { describe, expect, it } from 'vitest';
import {
  applyPreset,
  constraintsFor,
  encodingFor,
  isScreenPresetId,
  type PresetSender,
  type PresetTrack,
  type ScreenPresetId,
  screenPreset,
  screenPresets,
} from '../../src/screen/presets';

/** A MediaStreamTrack as far as presets go: records constraints, reports a capture size. */
class FakeTrack implements PresetTrack {
  contentHint = '';
  readonly applied: MediaTrackConstraints[] = [];
  constructor(
    private settings: MediaTrackSettings,
    private readonly failWith?: Error,
  ) {}
  async applyConstraints(constraints: MediaTrackConstraints = {}): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.applied.push(constraints);
    const width = constraints.width as ConstrainULongRange | undefined;
    const height = constraints.height as ConstrainULongRange | undefined;
    // Like Chromium for display capture: shrink into the max box, keep the aspect ratio.
    const w = this.settings.width ?? 0;
    const h = this.settings.height ?? 0;
    const scale = Math.max(1, w / (width?.max ?? w), h / (height?.max ?? h));
    this.settings = { ...this.settings, width: Math.round(w / scale), height: Math.round(h / scale) };
  }
  getSettings(): MediaTrackSettings {
    return { ...this.settings };
  }
}

/** An RTCRtpSender that enforces what Chromium's setParameters enforces about the encodings array. */
class FakeSender implements PresetSender {
  readonly set: RTCRtpSendParameters[] = [];
  private transactionId = 1;
  constructor(private parameters: RTCRtpSendParameters) {}
  getParameters(): RTCRtpSendParameters {
    return structuredClone({ ...this.parameters, transactionId: String(this.transactionId) });
  }
  async setParameters(next: RTCRtpSendParameters): Promise<void> {
    if (next.transactionId !== String(this.transactionId)) throw new Error('InvalidStateError: stale');
    if (next.encodings.length !== this.parameters.encodings.length) {
      throw new Error('InvalidModificationError: encodings count changed');
    }
    next.encodings.forEach((encoding, i) => {
      if (encoding.rid !== this.parameters.encodings[i]?.rid)
        throw new Error('InvalidModificationError: rid');
    });
    this.transactionId++;
    this.parameters = structuredClone(next);
    this.set.push(structuredClone(next));
  }
}

const baseParameters = (encodings: RTCRtpEncodingParameters[]): RTCRtpSendParameters => ({
  transactionId: '1',
  codecs: [],
  headerExtensions: [],
  rtcp: { cname: 'x', reducedSize: true },
  encodings,
});

describe('screen presets', () => {
  it('offers the four Discord-like presets with motion hints for video and detail for text', () => {
    expect(Object.keys(screenPresets).sort()).toEqual(['1080p30', '1080p60', '720p30', 'text']);
    for (const id of ['720p30', '1080p30', '1080p60'] as const) {
      expect(screenPreset(id).contentHint).toBe('motion');
      expect(screenPreset(id).degradationPreference).toBe('maintain-framerate');
    }
    expect(screenPreset('text')).toMatchObject({
      contentHint: 'detail',
      frameRate: 5,
      sourceResolution: true,
      degradationPreference: 'maintain-resolution',
    });
  });

  it('orders bitrates by pixel rate, with 1080p60 between 6 and 8 Mbps', () => {
    const rate = (id: ScreenPresetId) => screenPreset(id).maxBitrate;
    expect(rate('720p30')).toBe(2_500_000);
    expect(rate('1080p30')).toBe(4_500_000);
    expect(rate('1080p60')).toBeGreaterThanOrEqual(6_000_000);
    expect(rate('1080p60')).toBeLessThanOrEqual(8_000_000);
    expect(rate('text')).toBe(1_500_000);
    expect(rate('720p30')).toBeLessThan(rate('1080p30'));
    expect(rate('1080p30')).toBeLessThan(rate('1080p60'));
  });

  it('recognises preset ids only', () => {
    expect(isScreenPresetId('1080p60')).toBe(true);
    expect(isScreenPresetId('4k120')).toBe(false);
    expect(isScreenPresetId('toString')).toBe(false);
    expect(isScreenPresetId(30)).toBe(false);
  });
});

describe('constraintsFor', () => {
  it('caps size and frame rate with ideal = max and always asks for the cursor', () => {
    const options = constraintsFor(screenPreset('1080p60'), { audio: null });
    expect(options.video).toEqual({
      width: { ideal: 1920, max: 1920 },
      height: { ideal: 1080, max: 1080 },
      frameRate: { ideal: 60, max: 60 },
      cursor: 'always',
    });
    expect(options.audio).toBe(false);
    expect(options.systemAudio).toBe('exclude');
    expect(options.selfBrowserSurface).toBe('exclude');
  });

  it('asks for 5 fps at up to 4K for text', () => {
    const { video } = constraintsFor(screenPreset('text'), { audio: null });
    expect(video.frameRate).toEqual({ ideal: 5, max: 5 });
    expect(video.width).toEqual({ ideal: 3840, max: 3840 });
  });

  it('passes screen-audio constraints through and includes system audio only when asked', () => {
    const audio = { echoCancellation: false, restrictOwnAudio: true };
    const withSystem = constraintsFor(screenPreset('720p30'), { audio, systemAudio: true });
    expect(withSystem.audio).toEqual(audio);
    expect(withSystem.audio).not.toBe(audio);
    expect(withSystem.systemAudio).toBe('include');
    expect(constraintsFor(screenPreset('720p30'), { audio }).systemAudio).toBe('exclude');
    expect(constraintsFor(screenPreset('720p30'), { audio: null, systemAudio: true }).systemAudio).toBe(
      'exclude',
    );
  });
});

describe('encodingFor', () => {
  it('scales a larger source down to fit the preset box, keeping the aspect ratio', () => {
    expect(encodingFor(screenPreset('720p30'), { width: 2560, height: 1440 }).encoding).toEqual({
      maxBitrate: 2_500_000,
      maxFramerate: 30,
      scaleResolutionDownBy: 2,
    });
    // Ultra-wide: the width decides.
    expect(
      encodingFor(screenPreset('1080p30'), { width: 3440, height: 1440 }).encoding.scaleResolutionDownBy,
    ).toBeCloseTo(3440 / 1920, 2);
    // Portrait: the height decides.
    expect(
      encodingFor(screenPreset('1080p30'), { width: 1080, height: 1920 }).encoding.scaleResolutionDownBy,
    ).toBeCloseTo(1920 / 1080, 2);
  });

  it('never scales up a smaller source, and treats an unknown size as not to scale', () => {
    expect(
      encodingFor(screenPreset('1080p60'), { width: 800, height: 600 }).encoding.scaleResolutionDownBy,
    ).toBe(1);
    expect(encodingFor(screenPreset('1080p60'), {}).encoding.scaleResolutionDownBy).toBe(1);
    expect(
      encodingFor(screenPreset('1080p60'), { width: Number.NaN, height: 0 }).encoding.scaleResolutionDownBy,
    ).toBe(1);
  });

  it('rounds the factor up so the result never exceeds the box', () => {
    const { scaleResolutionDownBy } = encodingFor(screenPreset('720p30'), {
      width: 1366,
      height: 768,
    }).encoding;
    expect(Math.floor(1366 / scaleResolutionDownBy)).toBeLessThanOrEqual(1280);
    expect(Math.floor(768 / scaleResolutionDownBy)).toBeLessThanOrEqual(720);
  });

  it('keeps text at source resolution up to 4K with maintain-resolution', () => {
    const text = encodingFor(screenPreset('text'), { width: 2560, height: 1440 });
    expect(text.encoding.scaleResolutionDownBy).toBe(1);
    expect(text.degradationPreference).toBe('maintain-resolution');
    expect(
      encodingFor(screenPreset('text'), { width: 5120, height: 2880 }).encoding.scaleResolutionDownBy,
    ).toBeCloseTo(4 / 3, 2);
  });
});

describe('applyPreset', () => {
  it('sets the hint, applies constraints, then limits every encoding in place', async () => {
    const track = new FakeTrack({ width: 2560, height: 1440, frameRate: 30 });
    const sender = new FakeSender(baseParameters([{ active: false, maxBitrate: 100 }]));
    const result = await applyPreset(track, sender, screenPreset('1080p60'));

    expect(track.contentHint).toBe('motion');
    expect(track.applied).toEqual([
      {
        width: { ideal: 1920, max: 1920 },
        height: { ideal: 1080, max: 1080 },
        frameRate: { ideal: 60, max: 60 },
        cursor: 'always',
      },
    ]);
    expect(result.senderUpdated).toBe(true);
    // The track now delivers 1920×1080, so nothing more to scale in the encoder.
    expect(result.source).toEqual({ width: 1920, height: 1080 });
    const [parameters] = sender.set;
    expect(parameters?.degradationPreference).toBe('maintain-framerate');
    expect(parameters?.encodings).toEqual([
      { active: false, maxBitrate: 7_000_000, maxFramerate: 60, scaleResolutionDownBy: 1 },
    ]);
  });

  it('keeps the shape of a simulcast encodings array (count, order, rid)', async () => {
    const track = new FakeTrack({ width: 1280, height: 720 });
    const sender = new FakeSender(
      baseParameters([
        { rid: 'q', active: true },
        { rid: 'f', active: true },
      ]),
    );
    await applyPreset(track, sender, screenPreset('text'));
    expect(track.contentHint).toBe('detail');
    expect(sender.set[0]?.encodings.map((e) => [e.rid, e.maxBitrate, e.maxFramerate])).toEqual([
      ['q', 1_500_000, 5],
      ['f', 1_500_000, 5],
    ]);
    expect(sender.set[0]?.degradationPreference).toBe('maintain-resolution');
  });

  it('switches presets on a live sender more than once (fresh parameters every time)', async () => {
    const track = new FakeTrack({ width: 1920, height: 1080 });
    const sender = new FakeSender(baseParameters([{ active: true }]));
    await applyPreset(track, sender, screenPreset('1080p30'));
    await applyPreset(track, sender, screenPreset('720p30'));
    expect(sender.set).toHaveLength(2);
    expect(sender.set[1]?.encodings[0]).toMatchObject({ maxBitrate: 2_500_000, maxFramerate: 30 });
  });

  it('leaves the sender alone before negotiation (no encodings yet) and says so', async () => {
    const track = new FakeTrack({ width: 1920, height: 1080 });
    const sender = new FakeSender(baseParameters([]));
    const result = await applyPreset(track, sender, screenPreset('720p30'));
    expect(result.senderUpdated).toBe(false);
    expect(sender.set).toHaveLength(0);
    expect(track.contentHint).toBe('motion');
    expect((await applyPreset(track, null, screenPreset('720p30'))).senderUpdated).toBe(false);
  });

  it('lets a constraint failure reach the caller without touching the sender', async () => {
    const track = new FakeTrack({ width: 1920, height: 1080 }, new Error('OverconstrainedError'));
    const sender = new FakeSender(baseParameters([{ active: true }]));
    await expect(applyPreset(track, sender, screenPreset('720p30'))).rejects.toThrow('Overconstrained');
    expect(sender.set).toHaveLength(0);
  });
});
