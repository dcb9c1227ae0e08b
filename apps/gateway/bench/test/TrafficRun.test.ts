import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchClient, type ClientHooks } from '../BenchClient';
import { nowMicros } from '../procStats';
import { signalTemplate } from '../signalFrames';
import { TrafficRun } from '../TrafficRun';

const relayScript = fileURLToPath(new URL('../trivialRelay.ts', import.meta.url));
let relay: ChildProcess;
let wsUrl: string;

beforeAll(async () => {
  relay = spawn(process.execPath, ['--import', 'tsx', relayScript], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    relay.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    relay.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
  });
  wsUrl = `ws://127.0.0.1:${port}/`;
}, 30_000);

afterAll(() => {
  relay?.kill('SIGKILL');
});

/** Pairs of clients connected to the relay, with a run that receives whatever arrives. */
async function connectPairs(pairs: number, hooks: ClientHooks): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const a = new BenchClient(pair * 2, 'none', hooks);
    const b = new BenchClient(pair * 2 + 1, 'none', hooks);
    a.partner = b;
    b.partner = a;
    clients.push(a, b);
  }
  for (const client of clients) client.identity = { peerId: `t${client.index}` };
  for (const client of clients) client.template = signalTemplate(client.partner!.identity!.peerId, 9_000);
  await Promise.all(clients.map((client) => client.connect(wsUrl, false)));
  return clients;
}

describe('TrafficRun through the trivial relay', () => {
  it('sends on schedule and accounts for every message: none lost, none misdelivered', async () => {
    let run: TrafficRun | undefined;
    const clients = await connectPairs(3, {
      onSignal: (client, mark) => run?.receive(client, mark),
      onProblem: (kind) => run?.countProblem(kind),
    });
    const startAt = nowMicros() + 50_000;
    run = new TrafficRun(
      {
        ratePerSecond: 400,
        startAt,
        measureFrom: startAt + 200_000,
        measureTo: startAt + 700_000,
        drainUntil: startAt + 5_700_000,
      },
      clients,
      1_000,
    );
    const result = await run.run();
    for (const client of clients) client.close();
    // 0.7 s at 400 msg/s: 280 frames on schedule; a late last tick on a busy machine sends fewer.
    expect(result.sent).toBeGreaterThanOrEqual(200);
    expect(result.sent).toBeLessThanOrEqual(285);
    expect(result.received).toBe(result.sent);
    expect(result.misdelivered).toBe(0);
    expect(result.duplicates).toBe(0);
    expect(result.sentInWindow).toBeGreaterThan(100);
    expect(result.latenciesMicros.length).toBe(result.sentInWindow);
    expect(run.nextId).toBe(1_000 + result.sent);
  }, 30_000);

  it('counts a message that reaches the wrong connection as misdelivered, not received', async () => {
    let run: TrafficRun | undefined;
    const clients = await connectPairs(2, {
      onSignal: (client, mark) => run?.receive(client, mark),
      onProblem: () => undefined,
    });
    // Client 0's frames go to client 2 instead of its partner 1.
    clients[0]!.template = signalTemplate('t2', 9_000);
    const startAt = nowMicros() + 50_000;
    run = new TrafficRun(
      {
        ratePerSecond: 200,
        startAt,
        measureFrom: startAt,
        measureTo: startAt + 400_000,
        drainUntil: startAt + 1_400_000,
      },
      clients,
      0,
    );
    const result = await run.run();
    for (const client of clients) client.close();
    expect(result.misdelivered).toBeGreaterThan(0);
    expect(result.received + result.misdelivered).toBe(result.sent);
  }, 30_000);
});
