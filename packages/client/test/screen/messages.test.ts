import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createShareId,
  decodeScreenMessage,
  encodeScreenMessage,
  MAX_SCREEN_MESSAGE_BYTES,
  type ScreenMessage,
  screenMessage,
} from '../../src/screen/messages';

const samples: ScreenMessage[] = [
  screenMessage({ type: 'screen.share', shareId: 'a1', streamId: 'st-a1', preset: '1080p60', audio: true }),
  screenMessage({ type: 'screen.end', shareId: 'a1' }),
  screenMessage({ type: 'screen.watch', shareId: 'a1' }),
  screenMessage({ type: 'screen.unwatch', shareId: 'a1' }),
  screenMessage({ type: 'screen.viewers', shareId: 'a1', viewers: ['bob', 'carol.1'] }),
];

describe('screen messages', () => {
  it('round-trips every type as a string, bytes (simple-peer gives a Buffer) and an ArrayBuffer', () => {
    for (const message of samples) {
      const text = encodeScreenMessage(message);
      const bytes = new TextEncoder().encode(text);
      expect(decodeScreenMessage(text)).toEqual({ ok: true, message });
      expect(decodeScreenMessage(bytes)).toEqual({ ok: true, message });
      expect(decodeScreenMessage(bytes.buffer)).toEqual({ ok: true, message });
    }
    expect(samples.every((m) => m.v === 1)).toBe(true);
  });

  it('passes on what is not a screen message without calling it an error', () => {
    for (const raw of [
      '{"type":"chat","text":"hi"}',
      'not json "screen.watch"',
      '["screen.watch"]',
      '{"type":"screenshot.take","note":"screen.x"}',
      'plain text',
      42,
      null,
      new Uint8Array([0xff, 0xfe]),
    ]) {
      expect(decodeScreenMessage(raw)).toEqual({ ok: false, reason: 'notScreen' });
    }
  });

  it('refuses a version it does not speak, saying which', () => {
    const result = decodeScreenMessage('{"v":2,"type":"screen.watch","shareId":"a1"}');
    expect(result).toMatchObject({ ok: false, reason: 'unsupportedVersion' });
    expect(!result.ok && 'error' in result && result.error).toMatch(/version 2 .*speaks 1/);
    expect(decodeScreenMessage('{"type":"screen.watch","shareId":"a1"}')).toMatchObject({
      reason: 'unsupportedVersion',
    });
  });

  it('names what is wrong in a broken screen message', () => {
    const cases: [string, RegExp][] = [
      ['{"v":1,"type":"screen.dance"}', /unknown type "screen.dance"; expected one of screen.share/],
      ['{"v":1,"type":"screen.watch"}', /screen.watch: .*shareId/],
      ['{"v":1,"type":"screen.watch","shareId":"a b"}', /\/shareId/],
      ['{"v":1,"type":"screen.watch","shareId":"a1","extra":true}', /screen.watch: \/extra is not allowed/],
      [
        '{"v":1,"type":"screen.share","shareId":"a1","preset":"4k120","audio":false}',
        /\/preset must be one of "720p30", "1080p30", "1080p60", "text"/,
      ],
      ['{"v":1,"type":"screen.share","shareId":"a1","preset":"text","audio":"yes"}', /\/audio/],
      ['{"v":1,"type":"screen.viewers","shareId":"a1","viewers":["bob","bob"]}', /\/viewers/],
    ];
    for (const [raw, error] of cases) {
      const result = decodeScreenMessage(raw);
      expect(result.ok, raw).toBe(false);
      expect(!result.ok && result.reason, raw).toBe('invalid');
      expect(!result.ok && 'error' in result ? result.error : '', raw).toMatch(error);
    }
  });

  it('refuses oversized messages before parsing them', () => {
    const viewers = Array.from({ length: 200 }, (_, i) => `user-${i}-${'x'.repeat(40)}`);
    const text = JSON.stringify({ v: 1, type: 'screen.viewers', shareId: 'a1', viewers });
    expect(text.length).toBeGreaterThan(MAX_SCREEN_MESSAGE_BYTES);
    expect(decodeScreenMessage(text)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(decodeScreenMessage(new TextEncoder().encode(text))).toMatchObject({
      ok: false,
      reason: 'invalid',
      error: expect.stringMatching(/exceeds/),
    });
  });

  it('fits the viewer list of a full channel', () => {
    const viewers = Array.from({ length: 99 }, (_, i) => `${String(i).padStart(2, '0')}${'u'.repeat(62)}`);
    const message = screenMessage({ type: 'screen.viewers', shareId: 'x'.repeat(64), viewers });
    expect(decodeScreenMessage(encodeScreenMessage(message))).toEqual({ ok: true, message });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.uint8Array()), (raw) => {
        const result = decodeScreenMessage(raw);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.record({
          v: fc.constant(1),
          type: fc.constantFrom('screen.watch', 'screen.share'),
          shareId: fc.anything(),
        }),
        (value) => {
          expect(() => decodeScreenMessage(JSON.stringify(value) ?? '')).not.toThrow();
        },
      ),
    );
  });

  it('mints share ids the schema accepts, different every time', () => {
    const ids = new Set(Array.from({ length: 200 }, () => createShareId()));
    expect(ids.size).toBe(200);
    for (const shareId of ids) {
      expect(shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(
        decodeScreenMessage(encodeScreenMessage(screenMessage({ type: 'screen.watch', shareId }))).ok,
      ).toBe(true);
    }
    expect(createShareId((b) => b.fill(0xff))).toBe('_____________________w');
  });
});
