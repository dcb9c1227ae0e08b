/**
 * A load-generator process of the gateway benchmark (forked by LoadFleet, bundled to plain JS first).
 * It owns whole pairs of clients, so a SIGNAL's sender and receiver share this process's clock and
 * its loss bookkeeping. Commands arrive over IPC (see loadProtocol.ts); every step is bounded in time.
 */
import { BenchClient } from './BenchClient';
import { forEachLimited, withTimeout } from './concurrency';
import type { FromWorker, LoadTarget, PairSpec, ToWorker, TrafficPlan } from './loadProtocol';
import { signalTemplate } from './signalFrames';
import { TrafficRun } from './TrafficRun';

const STEP_TIMEOUT_MS = 30_000;

let target: LoadTarget | undefined;
let clients: BenchClient[] = [];
let concurrency = 16;
let connected = 0;
let joined = 0;
let traffic: TrafficRun | undefined;
let nextId = 0;
const setupProblems: Record<string, number> = {};

function reply(message: FromWorker): void {
  process.send?.(message);
}

const hooks = {
  onSignal: (client: BenchClient, mark: { id: number; sentAtMicros: number }) => {
    if (traffic) traffic.receive(client, mark);
    else
      setupProblems['signal outside a traffic phase'] =
        (setupProblems['signal outside a traffic phase'] ?? 0) + 1;
  },
  onProblem: (kind: string) => {
    if (traffic) traffic.countProblem(kind);
    else setupProblems[kind] = (setupProblems[kind] ?? 0) + 1;
  },
};

interface SessionReply {
  readonly token: string;
  readonly user: { readonly id: string };
}

async function createSession(httpUrl: string, displayName: string): Promise<SessionReply> {
  const response = await fetch(`${httpUrl}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName }),
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  });
  const body = (await response.json()) as Partial<SessionReply> & { message?: string };
  if (!response.ok || typeof body.token !== 'string' || typeof body.user?.id !== 'string') {
    throw new Error(`POST /api/sessions → ${response.status} ${body.message ?? JSON.stringify(body)}`);
  }
  return { token: body.token, user: { id: body.user.id } };
}

async function setup(newTarget: LoadTarget, pairs: readonly PairSpec[], limit: number): Promise<void> {
  target = newTarget;
  concurrency = limit;
  clients = [];
  for (const pair of pairs) {
    const a = new BenchClient(pair.index * 2, pair.channelId, hooks);
    const b = new BenchClient(pair.index * 2 + 1, pair.channelId, hooks);
    a.partner = b;
    b.partner = a;
    clients.push(a, b);
  }
  const started = performance.now();
  const gatewayTarget = newTarget.kind === 'gateway' ? newTarget : undefined;
  await forEachLimited(clients, limit, async (client) => {
    if (!gatewayTarget) {
      client.identity = { peerId: `c${client.index}` };
      return;
    }
    const session = await createSession(gatewayTarget.httpUrl, `bench ${client.index}`);
    client.identity = { peerId: session.user.id, token: session.token };
  });
  for (const client of clients) {
    client.template = signalTemplate(client.partner!.identity!.peerId, 10_000 + (client.index % 50_000));
  }
  reply({ type: 'setupDone', sessionsMs: performance.now() - started });
}

async function connect(pairs: number): Promise<void> {
  if (!target) throw new Error('connect before setup');
  const { wsUrl, kind } = target;
  const batch = clients.slice(connected, Math.min(clients.length, pairs * 2));
  const started = performance.now();
  await forEachLimited(batch, concurrency, (client) =>
    withTimeout(client.connect(wsUrl, kind === 'gateway'), STEP_TIMEOUT_MS, `connection ${client.index}`),
  );
  connected += batch.length;
  reply({ type: 'connected', connections: connected, ms: performance.now() - started });
}

async function join(): Promise<void> {
  const batch = clients.slice(joined, connected);
  const started = performance.now();
  if (target?.kind === 'gateway') {
    await forEachLimited(batch, concurrency, (client) =>
      withTimeout(client.join(), STEP_TIMEOUT_MS, `voice join of ${client.index}`),
    );
  }
  joined = connected;
  reply({ type: 'joined', connections: joined, ms: performance.now() - started });
}

async function runTraffic(plan: TrafficPlan): Promise<void> {
  const run = new TrafficRun(plan, clients.slice(0, joined), nextId);
  traffic = run;
  for (const [kind, count] of Object.entries(setupProblems)) {
    for (let i = 0; i < count; i++) run.countProblem(`setup: ${kind}`);
    delete setupProblems[kind];
  }
  try {
    const result = await run.run();
    reply({ type: 'trafficDone', result });
  } finally {
    nextId = run.nextId;
    traffic = undefined;
  }
}

function closeAll(): void {
  for (const client of clients) client.close();
  setTimeout(() => process.exit(0), 500).unref();
  process.disconnect?.();
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'setup':
      return setup(message.target, message.pairs, message.concurrency);
    case 'connect':
      return connect(message.pairs);
    case 'join':
      return join();
    case 'acknowledge':
      for (const client of clients.slice(0, connected)) client.acknowledge();
      reply({ type: 'acknowledged' });
      return;
    case 'traffic':
      return runTraffic(message.plan);
    case 'close':
      closeAll();
      return;
  }
}

process.on('message', (message: ToWorker) => {
  handle(message).catch((error: unknown) => {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
});
process.on('disconnect', () => {
  for (const client of clients) client.close();
  setTimeout(() => process.exit(0), 200).unref();
});
