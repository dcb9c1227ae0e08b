import {
  DispatchEvent,
  decodeClientFrame,
  decodeServerFrame,
  encode,
  serverMessage,
} from '@miscord/protocol';
import { describe, expect, it } from 'vitest';
import { readSeq, readSignalMark, signalFrame, signalTemplate } from '../signalFrames';

describe('benchmark SIGNAL frames', () => {
  const template = signalTemplate('user_7Qx', 50_123);

  it('are valid protocol v1 SIGNAL frames addressed to the partner', () => {
    const decoded = decodeClientFrame(signalFrame(template, 42, 1_234_567_890_123));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok || decoded.message.op !== 5) throw new Error('not a SIGNAL');
    expect(decoded.message.d.to).toBe('user_7Qx');
    expect(decoded.message.d.data.type).toBe('candidate');
  });

  it('carry id and send time through a gateway SIGNAL dispatch', () => {
    const frame = JSON.parse(signalFrame(template, 9_876, 31_415_926_535_897));
    const dispatch = encode(
      serverMessage.dispatch(DispatchEvent.Signal, 1_234, { from: 'u1', data: frame.d.data }),
    );
    expect(decodeServerFrame(dispatch).ok).toBe(true);
    expect(readSignalMark(Buffer.from(dispatch))).toEqual({ id: 9_876, sentAtMicros: 31_415_926_535_897 });
    expect(readSeq(Buffer.from(dispatch))).toBe(1_234);
  });

  it('read nothing from frames without a mark or with a broken one', () => {
    expect(readSignalMark(Buffer.from('{"op":11,"d":null}'))).toBeUndefined();
    expect(readSignalMark(Buffer.from('"~b12~"'))).toBeUndefined();
    expect(readSignalMark(Buffer.from('"~b.5~"'))).toBeUndefined();
    expect(readSignalMark(Buffer.from('"~b12.34"'))).toBeUndefined();
    expect(readSeq(Buffer.from('{"op":10,"d":{}}'))).toBeUndefined();
  });
});
