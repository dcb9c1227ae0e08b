import { describe, expect, it } from 'vitest';
import { applyEncoding, encodingFor, screenPresets } from '../../src/screen/presets';
import { applySendActions, type GateSender, setSending } from '../../src/screen/sendGate';

/** An RTCRtpSender as far as the gate goes, enforcing setParameters' rules on the encodings array. */
class FakeSender implements GateSender {
  calls = 0;
  constructor(
    public encodings: RTCRtpEncodingParameters[],
    private readonly failWith?: Error,
  ) {}
  getParameters(): RTCRtpSendParameters {
    return {
      transactionId: String(this.calls),
      codecs: [],
      headerExtensions: [],
      rtcp: {},
      encodings: structuredClone(this.encodings),
    };
  }
  async setParameters(parameters: RTCRtpSendParameters): Promise<void> {
    if (this.failWith) throw this.failWith;
    if (parameters.transactionId !== String(this.calls)) throw new Error('stale transaction');
    if (parameters.encodings.length !== this.encodings.length) throw new Error('encodings count changed');
    this.calls++;
    this.encodings = structuredClone(parameters.encodings);
  }
}

describe('setSending', () => {
  it('turns every encoding off and on, keeping the other limits', async () => {
    const sender = new FakeSender([
      { rid: 'h', maxBitrate: 4_500_000 },
      { rid: 'l', active: true, scaleResolutionDownBy: 2 },
    ]);
    expect(await setSending(sender, false)).toBe(true);
    expect(sender.encodings).toEqual([
      { rid: 'h', maxBitrate: 4_500_000, active: false },
      { rid: 'l', active: false, scaleResolutionDownBy: 2 },
    ]);
    expect(await setSending(sender, true)).toBe(true);
    expect(sender.encodings.every((e) => e.active === true)).toBe(true);
    expect(sender.calls).toBe(2);
  });

  it('does nothing when already in the asked state (absent active means on)', async () => {
    const sender = new FakeSender([{ maxBitrate: 1 }]);
    expect(await setSending(sender, true)).toBe(false);
    expect(sender.calls).toBe(0);
  });

  it('does nothing before negotiation, when the sender has no encodings', async () => {
    const sender = new FakeSender([]);
    expect(await setSending(sender, false)).toBe(false);
    expect(sender.calls).toBe(0);
  });
});

/**
 * Like a real sender: setParameters applies later, and until then getParameters returns the old state
 * (FakeSender above applies at once).
 */
class LaggingSender extends FakeSender {
  override async setParameters(parameters: RTCRtpSendParameters): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    await super.setParameters(parameters);
  }
}

describe('changes of one sender in flight together', () => {
  // A watcher's "on" while a negotiation's "off" is still being applied: the viewer must get frames.
  it('end in the state asked last', async () => {
    const sender = new LaggingSender([{ rid: 'h' }]);
    const off = setSending(sender, false);
    const on = setSending(sender, true);
    await Promise.all([off, on]);
    expect(sender.encodings[0]?.active).toBe(true);
    expect(sender.calls).toBe(2);
  });

  it('keep both the gate and the encoder limits', async () => {
    const sender = new LaggingSender([{ rid: 'h', active: true }]);
    const encoding = encodingFor(screenPresets['720p30'], { width: 1280, height: 720 });
    const results = await Promise.all([setSending(sender, false), applyEncoding(sender, encoding)]);
    expect(results).toEqual([true, true]);
    expect(sender.encodings[0]).toMatchObject({ active: false, maxBitrate: encoding.encoding.maxBitrate });
  });

  it('a failed change does not stop the next one', async () => {
    let failures = 1;
    const sender = new LaggingSender([{ rid: 'h', active: true }]);
    const set = sender.setParameters.bind(sender);
    sender.setParameters = (parameters) =>
      failures-- > 0 ? Promise.reject(new Error('encoder gone')) : set(parameters);
    const first = setSending(sender, false);
    const second = setSending(sender, false);
    await expect(first).rejects.toThrow('encoder gone');
    await expect(second).resolves.toBe(true);
    expect(sender.encodings[0]?.active).toBe(false);
  });
});

describe('applySendActions', () => {
  it('gates every sender of each peer (video and screen audio) and reports failures per peer', async () => {
    const bobVideo = new FakeSender([{ active: false }]);
    const bobAudio = new FakeSender([{ active: false }]);
    const carolVideo = new FakeSender([{ active: true }], new Error('InvalidStateError: closed'));
    const dan = new FakeSender([{ active: true }]);
    const senders: Record<string, GateSender[]> = {
      bob: [bobVideo, bobAudio],
      carol: [carolVideo],
      dan: [dan],
    };
    const failures = await applySendActions(
      [
        { peer: 'bob', action: 'sendVideo' },
        { peer: 'carol', action: 'stopVideo' },
        { peer: 'dan', action: 'stopVideo' },
        { peer: 'gone', action: 'stopVideo' },
      ],
      (peer) => senders[peer] ?? [],
    );
    expect(bobVideo.encodings[0]?.active).toBe(true);
    expect(bobAudio.encodings[0]?.active).toBe(true);
    expect(dan.encodings[0]?.active).toBe(false);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.peer).toBe('carol');
    expect(String(failures[0]?.error)).toMatch(/closed/);
  });
});
