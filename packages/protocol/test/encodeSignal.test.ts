import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { decodeClientFrame, encodeSignalData, jsonString, SignalData } from '../src/index';
import { signalSamples } from './fixtures/messages';

const check = Compile(SignalData);

/** Strings of every kind: any UTF-16 unit (lone surrogates, controls, quotes), full code points, ASCII. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'a', '\ud83d', '\ude00'),
  }),
  fc.string(),
);

const optional = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });

/** Valid SIGNAL data, keys in the schema's order (so JSON.stringify writes the same text). */
const signalData: fc.Arbitrary<SignalData> = fc.oneof(
  fc.record({
    type: fc.constantFrom('offer' as const, 'answer' as const),
    sdp: anyText.filter((s) => s !== ''),
  }),
  fc
    .record({
      candidate: fc.string({ unit: 'binary', maxLength: 1024 }),
      sdpMLineIndex: optional(fc.oneof(fc.nat(), fc.constant(null))),
      sdpMid: optional(
        fc.oneof(
          anyText.map((s) => s.slice(0, 64)),
          fc.constant(null),
        ),
      ),
      usernameFragment: optional(fc.oneof(anyText, fc.constant(null))),
    })
    .map((fields) => {
      // Optional fields are absent, not present with `undefined` (as JSON.parse gives them).
      const candidate = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      return { type: 'candidate' as const, candidate: candidate as { candidate: string } };
    }),
  fc.constant({ type: 'renegotiate' as const, renegotiate: true as const }),
  fc.record(
    {
      type: fc.constant('transceiverRequest' as const),
      transceiverRequest: fc.record(
        { kind: fc.constantFrom('audio' as const, 'video' as const), init: fc.object() },
        { requiredKeys: ['kind'] },
      ),
    },
    { noNullPrototype: true },
  ),
);

describe('jsonString', () => {
  it('writes what JSON.stringify writes, for any string', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(jsonString(text)).toBe(JSON.stringify(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['plain', 'candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host'],
    ['a quote', 'say "hi"'],
    ['a backslash', 'a\\b'],
    ['line breaks', 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n'],
    ['a control character', 'a\u0001b'],
    ['DEL (not escaped)', 'a\u007fb'],
    ['a lone high surrogate', 'a\ud83d'],
    ['a lone low surrogate', '\ude00z'],
    ['a pair (an emoji)', 'ok 😀'],
    ['U+2028 (not escaped by JSON)', 'a\u2028b'],
    ['empty', ''],
  ])('%s', (_name, text) => {
    expect(jsonString(text)).toBe(JSON.stringify(text));
  });
});

describe('encodeSignalData', () => {
  it.each(Object.entries(signalSamples))('%s: the text JSON.stringify writes', (_name, data) => {
    expect(encodeSignalData(data)).toBe(JSON.stringify(data));
  });

  it('writes what JSON.stringify writes for any valid data', () => {
    fc.assert(
      fc.property(signalData, (data) => {
        expect(check.Check(data)).toBe(true);
        expect(encodeSignalData(data)).toBe(JSON.stringify(data));
      }),
      { numRuns: 3_000 },
    );
  });

  it('keeps every value of data decoded from a client frame with its keys in another order', () => {
    const frame =
      '{"d":{"data":{"candidate":{"sdpMid":"0","usernameFragment":"Kq3x","sdpMLineIndex":1,"candidate":"c\\"1"},"type":"candidate"},"to":"u_b"},"op":5}';
    const decoded = decodeClientFrame(frame);
    if (!decoded.ok || decoded.message.op !== 5) throw new Error('the frame should decode as a SIGNAL');
    const data = decoded.message.d.data;
    const text = encodeSignalData(data);
    expect(JSON.parse(text)).toEqual(data);
    expect(text).toBe(
      '{"type":"candidate","candidate":{"candidate":"c\\"1","sdpMLineIndex":1,"sdpMid":"0","usernameFragment":"Kq3x"}}',
    );
  });
});
