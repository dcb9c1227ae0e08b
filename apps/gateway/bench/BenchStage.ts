import { delay } from './concurrency';
import { writeGatewayConfig } from './gatewayConfig';
import { LoadFleet } from './LoadFleet';
import type { PairSpec } from './loadProtocol';
import { nowMicros, readRssBytes } from './procStats';
import { type ServerContext, ServerKind, type ServerUnderTest, startServer } from './servers';

export interface StageOptions {
  readonly n: number;
  readonly workers: number;
  readonly connectConcurrency: number;
  readonly pairsPerChannel: number;
  readonly settleS: number;
  readonly workDir: string;
}

export interface StageSetup {
  /** POST /api/sessions for all N clients (gateway only; 0 for the relay). */
  readonly sessionsMs: number;
  /** Opening all N connections up to READY (relay: up to the socket opening). */
  readonly connectMs: number;
  /** Putting all pairs in their voice channels until each saw its partner (gateway only). */
  readonly joinMs: number;
  /** RSS with the warm-up pairs and with all N idle, each read after a full GC in the server. */
  readonly rssBaselineBytes: number;
  readonly rssIdleBytes: number;
  /** (RSS with N idle connections − RSS with the warm-up few) ÷ connections added, after a full GC. */
  readonly rssPerConnectionBytes: number;
  /** The same with RSS read as it is with N idle (includes setup garbage V8 had not collected yet). */
  readonly rssPerConnectionBeforeGcBytes: number;
}

const STEP_TIMEOUT_MS = 180_000;

/**
 * A started server with N clients connected, identified and paired in voice channels, ready for
 * traffic. Memory per connection is measured on the way: RSS after a few warm-up pairs are connected
 * and have exchanged messages (so lazily built code and pools are already paid for), then RSS with
 * all N idle — in voice, every dispatch acknowledged by a heartbeat, as a quiet client's session is.
 */
export class BenchStage {
  private constructor(
    readonly server: ServerUnderTest,
    readonly fleet: LoadFleet,
    readonly setup: StageSetup,
  ) {}

  static async open(
    context: ServerContext & { loadWorkerBundle: string },
    kind: ServerKind,
    options: StageOptions,
  ) {
    const pairs = options.n / 2;
    const channels = await writeGatewayConfig(options.workDir, pairs, options.pairsPerChannel);
    const server = await startServer(context, kind, channels.configPath);
    const fleet = LoadFleet.start(context.processes, context.loadWorkerBundle, options.workers);
    try {
      const pairSpecs: PairSpec[] = channels.channelOfPair.map((channelId, index) => ({ index, channelId }));
      const sessionsMs = await fleet.setup(
        server.target,
        pairSpecs,
        options.connectConcurrency,
        STEP_TIMEOUT_MS,
      );
      const warmPairs = Math.min(pairs, Math.max(options.workers * 2, Math.round(pairs * 0.02)));
      const warmConnectMs = await fleet.connect(warmPairs, STEP_TIMEOUT_MS);
      await fleet.join(STEP_TIMEOUT_MS);
      await fleet.traffic(Math.max(50, warmPairs * 20), warmUpPhase(0.3));
      await fleet.acknowledge(STEP_TIMEOUT_MS);
      await delay(options.settleS * 1000);
      // Baseline after a full GC, so neither figure below counts the warm-up's garbage.
      await server.collectGarbage();
      await delay(300);
      const baseline = await readRssBytes(server.pid);
      const restConnectMs = await fleet.connect(pairs, STEP_TIMEOUT_MS);
      const joinMs = await fleet.join(STEP_TIMEOUT_MS);
      await fleet.acknowledge(STEP_TIMEOUT_MS);
      await delay(options.settleS * 1000);
      const idle = await readRss(server);
      const added = (pairs - warmPairs) * 2;
      const perConnection = (before: number, after: number) =>
        added > 0 ? (after - before) / added : Number.NaN;
      const setup: StageSetup = {
        sessionsMs: kind === ServerKind.Relay ? 0 : sessionsMs,
        connectMs: warmConnectMs + restConnectMs,
        joinMs: kind === ServerKind.Relay ? 0 : joinMs,
        rssBaselineBytes: baseline,
        rssIdleBytes: idle.afterGc,
        rssPerConnectionBytes: perConnection(baseline, idle.afterGc),
        rssPerConnectionBeforeGcBytes: perConnection(baseline, idle.beforeGc),
      };
      return new BenchStage(server, fleet, setup);
    } catch (error) {
      await fleet.close().catch(() => undefined);
      await server.stop().catch(() => undefined);
      const output = server.output().trim();
      throw new Error(
        `${kind}: ${(error as Error).message}${output ? `\n--- server output ---\n${output}` : ''}`,
      );
    }
  }

  async close(): Promise<void> {
    await this.fleet.close();
    await this.server.stop();
  }
}

/** RSS as it is, then after a full GC (and a moment for freed pages to go back to the OS). */
async function readRss(server: ServerUnderTest): Promise<{ beforeGc: number; afterGc: number }> {
  const beforeGc = await readRssBytes(server.pid);
  await server.collectGarbage();
  await delay(300);
  return { beforeGc, afterGc: await readRssBytes(server.pid) };
}

/** A phase that starts in 100 ms and sends for `seconds`, with a second for stragglers. */
function warmUpPhase(seconds: number) {
  const startAt = nowMicros() + 100_000;
  const measureTo = startAt + seconds * 1e6;
  return { startAt, measureFrom: startAt, measureTo, drainUntil: measureTo + 1_000_000 };
}
