import { EventEmitter } from 'node:events';
import { MemoryConnectionRegistry, type StoredReplay } from '@miscord/registry';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/auth/tokens';
import { parseChannelConfig } from '../../src/config';
import { Gateway, REPLAY_SAVES_IN_FLIGHT } from '../../src/gateway/Gateway';
import { resolveLimits } from '../../src/gateway/limits';

import { TEST_SECRET, until } from '../helpers/gatewayHarness';

/** What the gateway needs of a ws socket. */
class StandInSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  send(frame: string): void {
    this.sent.push(frame);
  }
  close(): void {
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

/** A registry that says it is Redis (so the node persists replays) and whose saves take a while. */
class SlowSavingRegistry extends MemoryConnectionRegistry {
  override readonly mode = 'redis' as unknown as 'memory';
  inFlight = 0;
  mostInFlight = 0;
  readonly saved: string[] = [];

  override async saveReplay(sessionId: string, replay: StoredReplay, ttlMs: number): Promise<void> {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      // Written at once (ioredis queues the command when called), answered a little later.
      if (sessionId !== this.failFor) await super.saveReplay(sessionId, replay, ttlMs);
      await new Promise((resolve) => setTimeout(resolve, 2));
      this.duringSave?.();
      this.duringSave = undefined;
      if (sessionId === this.failFor) throw new Error('redis said no');
      this.saved.push(sessionId);
    } finally {
      this.inFlight--;
    }
  }

  failFor: string | undefined;
  /** Runs once, inside the first save (some saves done by then, most still waiting). */
  duringSave: (() => void) | undefined;
}

/** The dispatch frames a stand-in socket was sent, parsed. */
const dispatchesOn = (socket: StandInSocket) =>
  socket.sent
    .map((frame) => JSON.parse(frame) as { op: number; t?: string; s?: number; d?: { sessionId?: string } })
    .filter((frame) => frame.op === 0);

/** A node on the slow-saving registry with `count` identified sessions on stand-in sockets. */
async function nodeWithSessions(count: number) {
  const registry = new SlowSavingRegistry({ nodeId: 'node-a' });
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  const gateway = new Gateway({
    registry,
    tokens: new TokenSigner(TEST_SECRET),
    log,
    limits: resolveLimits(),
    spaces: parseChannelConfig({}).spaces,
    iceServers: [],
    reaperIntervalMs: 0,
    staleAfterMs: 60_000,
    directoryResyncMs: 0,
  });
  await gateway.start();
  const signer = new TokenSigner(TEST_SECRET);
  const sockets: StandInSocket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = new StandInSocket();
    sockets.push(socket);
    gateway.accept(socket as never, { id: `c${i}`, ip: '127.0.0.1', userAgent: 'test' });
    const token = signer.issue(`user ${i}`).token;
    const identify = { op: 2, d: { token, kind: 'web', version: '1', platform: 't' } };
    socket.emit('message', Buffer.from(JSON.stringify(identify)), false);
  }
  await until(() => gateway.sessions.size === count);
  return { gateway, registry, sockets, warnings, sessionIds: [...gateway.sessions.keys()] };
}

describe('replay saves (cluster mode)', () => {
  it(`a drain writes every session's replay, ${REPLAY_SAVES_IN_FLIGHT} at a time, past a failed one`, async () => {
    const { gateway, registry, sockets, warnings, sessionIds } = await nodeWithSessions(300);
    registry.failFor = sessionIds[7];

    await gateway.drain();

    expect(registry.mostInFlight).toBe(REPLAY_SAVES_IN_FLIGHT);
    expect(registry.saved.sort()).toEqual(sessionIds.filter((id) => id !== registry.failFor).sort());
    expect(warnings.join('')).toContain('saving a replay while draining failed');
    // Then every client was told to reconnect and closed 1001, its session kept for a resume.
    for (const socket of sockets) expect(socket.sent.at(-1)).toBe('{"op":7,"d":null}');
    expect(gateway.sessions.size).toBe(300);
    await gateway.stop();
  });

  it('a dispatch made while the replays are saved is kept for the replay, never sent ahead of it', async () => {
    const { gateway, registry, sockets } = await nodeWithSessions(300);
    registry.duringSave = () => {
      for (const session of gateway.sessions.values()) {
        session.dispatch('SPEAKING', { userId: session.userId, channelId: 'lounge', speaking: 1 });
      }
    };

    await gateway.drain();

    for (const socket of sockets) {
      const sent = dispatchesOn(socket);
      const sessionId = sent.find((frame) => frame.t === 'READY')?.d?.sessionId ?? '';
      const session = gateway.sessions.get(sessionId);
      const stored = await registry.loadReplay(sessionId);
      // The client resumes from the last seq it saw: the stored replay reaches it and holds what came after.
      expect(stored?.lastSeq).toBe(session?.seq);
      expect(Math.max(...sent.map((frame) => frame.s ?? 0))).toBeLessThan(session?.seq ?? 0);
      expect(stored?.frames.at(-1)?.frame).toContain('"t":"SPEAKING"');
      expect(sent.some((frame) => frame.t === 'SPEAKING')).toBe(false);
      expect(socket.sent.at(-1)).toBe('{"op":7,"d":null}');
    }
    await gateway.stop();
  });

  it(`sockets lost all at once get their replays saved ${REPLAY_SAVES_IN_FLIGHT} at a time`, async () => {
    const { gateway, registry, sockets, sessionIds } = await nodeWithSessions(300);
    for (const socket of sockets) socket.emit('close', 1006);
    await until(() => registry.saved.length === 300);
    expect(registry.mostInFlight).toBe(REPLAY_SAVES_IN_FLIGHT);
    expect(registry.saved.sort()).toEqual([...sessionIds].sort());
    expect([...gateway.sessions.values()].every((s) => s.state.status === 'detached')).toBe(true);
    await gateway.stop();
  });
});
