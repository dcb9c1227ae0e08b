import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import {
  ClientPayload,
  clientPayloadSchemas,
  DispatchEvent,
  decodeClientFrame,
  decodeServerFrame,
  encode,
  GatewayOp,
  ServerPayload,
  serverPayloadSchemas,
  topics,
  utf8Length,
} from '../src/index';
import { clientSamples, serverSamples, signalSamples } from './fixtures/messages';

const clientCheck = Compile(ClientPayload);
const serverCheck = Compile(ServerPayload);

describe('client messages round-trip', () => {
  it.each(Object.entries(clientSamples))('%s', (_name, message) => {
    expect(clientCheck.Check(message)).toBe(true);
    const frame = encode(message);
    const decoded = decodeClientFrame(frame);
    expect(decoded).toEqual({ ok: true, message, bytes: Buffer.byteLength(frame) });
    // The same frame as UTF-8 bytes (how ws hands text frames over) decodes the same.
    expect(decodeClientFrame(Buffer.from(frame))).toEqual(decoded);
  });

  it('covers every client op', () => {
    const ops = new Set(Object.values(clientSamples).map((message) => message.op));
    expect([...ops].sort((a, b) => a - b)).toEqual(Object.keys(clientPayloadSchemas).map(Number));
  });
});

describe('server messages round-trip', () => {
  it.each(Object.entries(serverSamples))('%s', (_name, message) => {
    expect(serverCheck.Check(message)).toBe(true);
    const frame = encode(message);
    expect(decodeServerFrame(frame)).toEqual({ ok: true, message, bytes: Buffer.byteLength(frame) });
  });

  it('covers every server op and every dispatch event', () => {
    const messages = Object.values(serverSamples);
    const ops = new Set(messages.map((message) => message.op));
    expect([...ops].sort((a, b) => a - b)).toEqual(
      [GatewayOp.Dispatch, ...Object.keys(serverPayloadSchemas).map(Number)].sort((a, b) => a - b),
    );
    const events = new Set(
      messages.flatMap((message) => (message.op === GatewayOp.Dispatch ? [message.t] : [])),
    );
    expect([...events].sort()).toEqual(Object.values(DispatchEvent).sort());
  });
});

describe('SIGNAL carries every simple-peer 9.11.1 signal unchanged', () => {
  it('has samples of offer, answer, candidate, renegotiate and transceiverRequest', () => {
    expect(new Set(Object.values(signalSamples).map((data) => data.type))).toEqual(
      new Set(['offer', 'answer', 'candidate', 'renegotiate', 'transceiverRequest']),
    );
  });

  it.each(Object.entries(signalSamples))('%s: client → server → client', (_name, data) => {
    const sent = decodeClientFrame(encode({ op: GatewayOp.Signal, d: { to: 'u_bob', data } }));
    expect(sent.ok && sent.message.op === GatewayOp.Signal && sent.message.d.data).toEqual(data);
    const relayed = decodeServerFrame(
      encode({ op: GatewayOp.Dispatch, t: DispatchEvent.Signal, s: 9, d: { from: 'u_alice', data } }),
    );
    expect(relayed.ok && relayed.message.op === GatewayOp.Dispatch && relayed.message.d).toEqual({
      from: 'u_alice',
      data,
    });
  });
});

describe('encode', () => {
  it('writes compact JSON with no envelope fields beyond the message', () => {
    expect(encode(clientSamples.HEARTBEAT!)).toBe('{"op":1,"d":42}');
    expect(encode(serverSamples.HEARTBEAT_ACK!)).toBe('{"op":11,"d":null}');
    expect(JSON.parse(encode(serverSamples.RESUMED!))).toEqual({
      op: 0,
      t: 'RESUMED',
      s: 18,
      d: { replayed: 3 },
    });
  });
});

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['ascii', 5],
    ['é', 2],
    ['€', 3],
    ['🎧', 4],
    ['\ud800', 3],
    ['a\udc00b', 5],
    ['\ud800é', 5],
    ['\ud83c\udfa7\ud800', 7],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
    expect(utf8Length(text)).toBe(Buffer.byteLength(text));
  });
});

describe('topics', () => {
  it('names voice topics and reads them back', () => {
    expect(topics.voice('c_lobby')).toBe('voice:c_lobby');
    expect(topics.channelOf('voice:c_lobby')).toBe('c_lobby');
    expect(topics.channelOf('text:c_lobby')).toBeUndefined();
  });
});
