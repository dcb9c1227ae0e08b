import {
  CloseCode,
  closeCodeTable,
  decodeClientFrame,
  ErrorCode,
  GatewayOp,
  type ServerPayload,
} from '@miscord/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../src/auth/tokens';
import { fuzzer, prng } from './helpers/fuzzFrames';
import { type Harness, startGateway, TEST_SECRET, until } from './helpers/gatewayHarness';
import { TestClient } from './helpers/TestClient';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_122);
const WORKERS = 8;
const documentedCloses = new Set(Object.keys(closeCodeTable).map(Number));
const documentedErrors = new Set<string>(Object.values(ErrorCode));

interface Outcome {
  readonly answers: ServerPayload[];
  readonly closed: number | null;
}

describe('socket fuzz', () => {
  let gateway: Harness;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    // A short resume window so sessions of fuzz-closed sockets are removed while the test runs.
    gateway = await startGateway(undefined, { limits: { resumeWindowMs: 500 } });
  });
  afterAll(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await gateway?.close();
  });

  it(`answers ${RUNS} random and mutated frames as documented and stays up with bounded memory`, async () => {
    const signer = new TokenSigner(TEST_SECRET);
    const users = Array.from({ length: 4 }, (_, i) => signer.issue(`Fuzz ${i}`));
    const userIds = [...users.map((u) => u.claims.userId), 'u_stranger'];
    const tally = new Map<string, number>();
    const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
    const problems: string[] = [];
    let sent = 0;
    let baseline: NodeJS.MemoryUsage | undefined;

    async function signedIn(worker: number): Promise<TestClient> {
      const client = await TestClient.connect(gateway.wsUrl);
      await client.identify(users[worker % users.length]!.token, worker % 2 ? 'web' : 'desktop');
      if (worker % 3 !== 2) {
        client.joinVoice(worker % 3 === 0 ? 'general' : 'gaming');
        await client.dispatch('VOICE_STATE', (d) => d.channelId !== null);
      }
      return client;
    }

    /** Send one frame, then a HEARTBEAT as a barrier: what arrives before its ACK (or the close) answers the frame. */
    async function exchange(
      client: TestClient,
      frame: { data: string | Buffer; binary: boolean },
      acks: number,
    ): Promise<Outcome> {
      const before = client.received.length;
      client.send(frame.data, { binary: frame.binary });
      if (client.isOpen) client.send({ op: GatewayOp.Heartbeat, d: 0 });
      let closed: number | null = null;
      for (let i = 0; i < acks && closed === null; i++) {
        const ack = client.next((f) => f.op === GatewayOp.HeartbeatAck, 15_000, 'barrier ack');
        closed = await Promise.race([ack.then(() => null), client.closed.then((c) => c.code)]);
        ack.catch(() => {});
      }
      return { answers: client.received.slice(before), closed };
    }

    async function worker(index: number): Promise<void> {
      const random = prng(SEED + index);
      const next = fuzzer(random, { userIds, token: users[index % users.length]!.token });
      let client = await signedIn(index);
      while (sent < RUNS) {
        sent++;
        if (sent === 1_000) baseline = process.memoryUsage();
        const frame = next();
        const expected = decodeClientFrame(frame.data, { binary: frame.binary });
        // A valid HEARTBEAT is answered by an ACK of its own, before the barrier's.
        const acks = expected.ok && expected.message.op === GatewayOp.Heartbeat ? 2 : 1;
        const outcome = await exchange(client, frame, acks);
        for (const answer of outcome.answers) {
          if (answer.op === GatewayOp.Error && !documentedErrors.has(answer.d.code)) {
            problems.push(`undocumented error ${answer.d.code}`);
          }
        }
        if (outcome.closed !== null && !documentedCloses.has(outcome.closed)) {
          problems.push(
            `undocumented close ${outcome.closed} after ${frame.kind} ${String(frame.data).slice(0, 80)}`,
          );
        }
        if (!expected.ok) {
          const error = expected.error;
          if (error.kind === 'close') {
            count(`close ${error.closeCode}`);
            if (outcome.closed !== error.closeCode) {
              problems.push(
                `expected close ${error.closeCode}, got ${outcome.closed} for ${String(frame.data).slice(0, 80)}`,
              );
            }
          } else {
            count(`ERROR ${error.code}`);
            const answered = outcome.answers.some((a) => a.op === GatewayOp.Error && a.d.code === error.code);
            if (!answered)
              problems.push(`expected ERROR ${error.code} for ${String(frame.data).slice(0, 80)}`);
          }
        } else {
          count(outcome.closed === null ? 'valid, answered' : `valid, close ${outcome.closed}`);
        }
        if (outcome.closed !== null || !client.isOpen) {
          client.ws.terminate();
          client = await signedIn(index);
        }
      }
      client.ws.terminate();
    }

    await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
    const summary = [...tally].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key} ${n}`);
    console.log(`socket fuzz: ${sent} frames → ${summary.join(', ')}`);

    expect(crashes).toEqual([]);
    expect(problems.slice(0, 10)).toEqual([]);
    // The gateway still works for a newcomer.
    const probe = await gateway.client('After Fuzz');
    probe.client.heartbeat();
    await probe.client.nextOp(GatewayOp.HeartbeatAck);
    // Sessions of closed sockets are gone once their resume window passed: server state is bounded.
    await until(() => gateway.app.gateway.sessions.size <= 1, 15_000, 'detached sessions to expire');
    await until(
      async () => (await gateway.app.gateway.registry.counts()).total <= 1,
      15_000,
      'registry to empty',
    );
    expect(gateway.app.gateway.directory.states().length).toBeLessThanOrEqual(1);
    const end = process.memoryUsage();
    const growthMb = (end.heapUsed - (baseline?.heapUsed ?? 0)) / 2 ** 20;
    console.log(
      `socket fuzz memory: heap ${(baseline!.heapUsed / 2 ** 20).toFixed(1)} → ${(end.heapUsed / 2 ** 20).toFixed(1)} MB, rss ${(baseline!.rss / 2 ** 20).toFixed(1)} → ${(end.rss / 2 ** 20).toFixed(1)} MB`,
    );
    expect(growthMb).toBeLessThan(150);
    expect(end.rss).toBeLessThan(baseline!.rss * 3);
    expect(CloseCode.DecodeError).toBe(4002);
  }, 300_000);
});
