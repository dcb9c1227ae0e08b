import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getLogLevel, setLogLevel, setLogSink } from '../../src/log/logger';
import {
  isRemoteHangUp,
  PeerConnection,
  type SimplePeerFactory,
  type SimplePeerLike,
} from '../../src/voice/PeerConnection';

/** Just enough of simple-peer to emit its events. */
class FakePeer extends EventEmitter {
  destroyed = false;
  signal(): void {}
  addTrack(): void {}
  removeTrack(): void {}
  negotiate(): void {}
  send(): void {}
  destroy(): void {
    this.destroyed = true;
  }
}

const dataChannelError = (message: string) => Object.assign(new Error(message), { code: 'ERR_DATA_CHANNEL' });

function connect() {
  const fake = new FakePeer();
  const createPeer: SimplePeerFactory = () => fake as unknown as SimplePeerLike;
  const peer = new PeerConnection({
    userId: 'u_remote',
    remoteSessionId: null,
    initiator: true,
    track: {} as MediaStreamTrack,
    iceServers: [],
    createPeer,
    send: () => undefined,
  });
  const closed: string[] = [];
  peer.on('closed', (reason) => closed.push(reason));
  return { fake, peer, closed };
}

describe('PeerConnection errors', () => {
  const lines: { level: string; text: string }[] = [];
  const savedLevel = getLogLevel();
  beforeAll(() => {
    // A MediaStream is made for the send track; Node has none.
    globalThis.MediaStream ??= class {} as unknown as typeof MediaStream;
    setLogLevel('debug');
    const keep = (level: string) => (text: string) => lines.push({ level, text });
    setLogSink({
      debug: keep('debug'),
      info: keep('info'),
      warn: keep('warn'),
      error: keep('error'),
    });
  });
  afterEach(() => {
    lines.length = 0;
  });
  afterAll(() => {
    setLogSink(console);
    setLogLevel(savedLevel);
  });

  it('takes the remote closing its connection for a hang-up: closed, and no error logged', () => {
    const { fake, peer, closed } = connect();
    fake.emit('error', dataChannelError('User-Initiated Abort, reason=Close called'));
    expect(closed).toEqual(['closed by remote']);
    expect(peer.status).not.toBe('failed');
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(lines.some((line) => line.level === 'info' && line.text.includes('hung up'))).toBe(true);
  });

  it('still reports any other failure as an error', () => {
    const { fake, peer, closed } = connect();
    fake.emit(
      'error',
      Object.assign(new Error('Ice connection failed.'), { code: 'ERR_ICE_CONNECTION_FAILURE' }),
    );
    expect(closed).toEqual(['ERR_ICE_CONNECTION_FAILURE']);
    expect(peer.status).toBe('failed');
    expect(lines.filter((line) => line.level === 'error').map((line) => line.text)).toEqual([
      expect.stringContaining('ERR_ICE_CONNECTION_FAILURE Ice connection failed.'),
    ]);
  });

  it('tells a hang-up from other data-channel errors', () => {
    expect(isRemoteHangUp(dataChannelError('User-Initiated Abort, reason=Close called'))).toBe(true);
    expect(isRemoteHangUp(dataChannelError('Datachannel error: Transport channel closed'))).toBe(false);
    expect(isRemoteHangUp(new Error('User-Initiated Abort, reason=Close called'))).toBe(false);
  });
});
