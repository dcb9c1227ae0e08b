import { describe, expect, it } from 'vitest';
import {
  clampUtf8,
  decodeClientFrame,
  decodeServerFrame,
  defaultLimits,
  encode,
  isClientOp,
  isSeqAhead,
  KiB,
  MAX_CLOSE_REASON_BYTES,
} from '../src/index';
import { id64, malformedClientFrames, maxTopics } from './fixtures/malformedClientFrames';

describe('decodeClientFrame refuses malformed frames with the documented outcome', () => {
  it.each(malformedClientFrames)('$name', ({ frame, options, expected }) => {
    const result = decodeClientFrame(frame, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.bytes).toBe(typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength);
    const { error } = result;
    if ('close' in expected) {
      expect(error).toMatchObject({ kind: 'close', closeCode: expected.close });
      expect(error.kind === 'close' && error.reason).toMatch(expected.reason);
    } else {
      expect(error).toMatchObject({ kind: 'error', code: expected.error, op: expected.op });
      expect(error.kind === 'error' && error.id).toBe(expected.id ?? undefined);
      expect(error.kind === 'error' && error.message).toMatch(expected.message);
    }
  });
});

describe('decodeClientFrame accepts frames at the edge of the limits', () => {
  it('the largest SUBSCRIBE (128 topics of 64-character ids) fits maxControlBytes', () => {
    const frame = encode({ op: 8, d: { id: 'r'.repeat(64), topics: maxTopics } });
    expect(Buffer.byteLength(frame)).toBeGreaterThan(8 * KiB);
    expect(decodeClientFrame(frame).ok).toBe(true);
  });

  it('a SIGNAL of exactly maxSignalBytes is accepted, one byte more is not', () => {
    const base = encode({ op: 5, d: { to: id64, data: { type: 'offer', sdp: '' } } });
    const sdp = 'v'.repeat(defaultLimits.maxSignalBytes - Buffer.byteLength(base));
    const frame = encode({ op: 5, d: { to: id64, data: { type: 'offer', sdp } } });
    expect(Buffer.byteLength(frame)).toBe(defaultLimits.maxSignalBytes);
    expect(decodeClientFrame(frame).ok).toBe(true);
    expect(decodeClientFrame(frame.replace('"sdp":"', '"sdp":"v'))).toMatchObject({
      ok: false,
      error: { kind: 'close', closeCode: 4002 },
    });
  });

  it('whitespace around the envelope and duplicate keys follow JSON.parse (last one wins)', () => {
    expect(decodeClientFrame(' \n{ "op" : 1 , "d" : 5 }\t')).toMatchObject({
      ok: true,
      message: { op: 1, d: 5 },
    });
    expect(decodeClientFrame('{"op":13,"d":{"speaking":9},"d":{"speaking":1}}')).toMatchObject({
      ok: true,
      message: { op: 13, d: { speaking: 1 } },
    });
  });

  it('never lets __proto__ through: it is an extra envelope field', () => {
    const result = decodeClientFrame('{"op":1,"d":0,"__proto__":{"polluted":true}}');
    expect(result).toMatchObject({ ok: false, error: { kind: 'close', closeCode: 4002 } });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('decodeServerFrame', () => {
  it.each([
    [
      'an unknown dispatch event',
      '{"op":0,"t":"MESSAGE_CREATE","s":1,"d":{}}',
      4002,
      /unknown dispatch event "MESSAGE_CREATE"/,
    ],
    ['a dispatch without t', '{"op":0,"s":1,"d":{}}', 4002, /unknown dispatch event undefined/],
    [
      'a dispatch without s',
      '{"op":0,"t":"RESUMED","d":{"replayed":0}}',
      4002,
      /RESUMED: \/ must have required properties s/,
    ],
    [
      'a dispatch with s = 0',
      '{"op":0,"t":"RESUMED","s":0,"d":{"replayed":0}}',
      4002,
      /RESUMED: \/s must be >= 1/,
    ],
    ['a client op', '{"op":1,"d":1}', 4001, /unknown op 1 from the server/],
    [
      'an ERROR with an unknown code',
      '{"op":15,"d":{"code":"NOPE","message":"x"}}',
      4002,
      /ERROR: \/d\/code must be one of/,
    ],
    [
      'HELLO with a zero interval',
      '{"op":10,"d":{"heartbeatInterval":0,"connectionId":"c","nodeId":"n","resumeWindow":0}}',
      4002,
      /HELLO: \/d\/heartbeatInterval must be >= 1/,
    ],
    ['an extra envelope field', '{"op":11,"d":null,"x":1}', 4002, /unexpected envelope field `x`/],
  ])('refuses %s', (_name, frame, closeCode, reason) => {
    const result = decodeServerFrame(frame);
    expect(result).toMatchObject({ ok: false, error: { kind: 'close', closeCode } });
    expect(!result.ok && result.error.kind === 'close' && result.error.reason).toMatch(reason);
  });

  it('does not throw on a deeply nested envelope field (regression found by the fuzz)', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    for (const frame of [`{"op":7,"t":${deep},"d":null}`, `{"op":0,"t":${deep},"s":1,"d":null}`]) {
      expect(decodeServerFrame(frame)).toMatchObject({
        ok: false,
        error: { kind: 'close', closeCode: 4002 },
      });
    }
  });

  it('has no size limit of its own unless one is passed', () => {
    const big = encode({
      op: 0,
      t: 'SIGNAL',
      s: 1,
      d: { from: 'u', data: { type: 'offer', sdp: 'v'.repeat(100 * KiB) } },
    });
    expect(decodeServerFrame(big).ok).toBe(true);
    expect(decodeServerFrame(big, { maxFrameBytes: 64 * KiB })).toMatchObject({
      ok: false,
      error: { closeCode: 4002 },
    });
  });
});

describe('isSeqAhead', () => {
  it.each([
    [0, 0, false],
    [5, 5, false],
    [4, 5, false],
    [6, 5, true],
    [1, 0, true],
  ])('claimed %i, last sent %i → %s', (claimed, lastSent, ahead) => {
    expect(isSeqAhead(claimed, lastSent)).toBe(ahead);
  });
});

describe('isClientOp', () => {
  it('is true exactly for the ops a client may send', () => {
    const ops = Array.from({ length: 20 }, (_, op) => op).filter(isClientOp);
    expect(ops).toEqual([1, 2, 4, 5, 6, 8, 12, 13]);
  });
});

describe('close reasons', () => {
  it('fit the 123-byte WebSocket limit, cut on a character boundary', () => {
    const reasons = [
      decodeClientFrame('🎧'.repeat(200)),
      decodeServerFrame('{"op":15,"d":{"code":"NOPE","message":"x"}}'),
      decodeServerFrame(`{"op":0,"t":"${'🎧'.repeat(100)}","s":1,"d":{}}`),
    ].map((result) => (!result.ok && result.error.kind === 'close' ? result.error.reason : ''));
    for (const reason of reasons) {
      expect(Buffer.byteLength(reason)).toBeGreaterThan(0);
      expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
      expect(reason).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
    expect(reasons[0]).toMatch(/^frame is not valid JSON: /);
    expect(reasons[1]).toMatch(/^ERROR: \/d\/code must be one of "INVALID_PAYLOAD", .*…$/);
  });

  it('clampUtf8 keeps short text and cuts long text with an ellipsis', () => {
    expect(clampUtf8('short', 123)).toBe('short');
    expect(clampUtf8('é'.repeat(61), 123)).toBe('é'.repeat(61));
    expect(clampUtf8('é'.repeat(62), 123)).toBe(`${'é'.repeat(60)}…`);
    expect(Buffer.byteLength(clampUtf8('🎧'.repeat(40), 123))).toBeLessThanOrEqual(123);
  });
});
