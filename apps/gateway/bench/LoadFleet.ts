import type { ChildProcess } from 'node:child_process';
import type { ChildProcesses } from './ChildProcesses';
import { withTimeout } from './concurrency';
import type { FromWorker, LoadTarget, PairSpec, ToWorker, TrafficPlan, TrafficResult } from './loadProtocol';
import { nowMicros } from './procStats';

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

interface Pending {
  readonly expect: FromWorker['type'];
  readonly resolve: (message: FromWorker) => void;
  readonly reject: (error: Error) => void;
}

class WorkerHandle {
  #pending: Pending | undefined;
  pairs = 0;
  connectedPairs = 0;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromWorker) => {
      const pending = this.#pending;
      if (!pending) return;
      this.#pending = undefined;
      if (message.type === 'failed') pending.reject(new Error(`load worker: ${message.message}`));
      else if (message.type !== pending.expect) {
        pending.reject(new Error(`load worker answered ${message.type}, expected ${pending.expect}`));
      } else pending.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.#pending?.reject(new Error(`load worker exited (${code ?? signal})`));
      this.#pending = undefined;
    });
  }

  request<T extends FromWorker['type']>(message: ToWorker, expect: T, timeoutMs: number): Promise<Reply<T>> {
    if (this.#pending) return Promise.reject(new Error('load worker is busy'));
    const answer = new Promise<FromWorker>((resolve, reject) => {
      this.#pending = { expect, resolve, reject };
    });
    this.child.send(message);
    return withTimeout(answer, timeoutMs, `load worker step "${message.type}"`) as Promise<Reply<T>>;
  }
}

/**
 * The load-generator processes of one server run. Pairs are dealt out in turn (pair i → worker i mod W),
 * so "the first k pairs" is spread evenly, and each worker's share of the send rate follows its share of
 * the connections.
 */
export class LoadFleet {
  readonly #workers: WorkerHandle[];

  private constructor(
    readonly processes: ChildProcesses,
    children: ChildProcess[],
  ) {
    this.#workers = children.map((child) => new WorkerHandle(child));
  }

  static start(processes: ChildProcesses, workerBundle: string, workers: number): LoadFleet {
    const children = Array.from({ length: workers }, () =>
      processes.fork(workerBundle, [], { ...process.env, NODE_ENV: 'production' }),
    );
    return new LoadFleet(processes, children);
  }

  get pids(): number[] {
    return this.#workers.map((worker) => worker.child.pid ?? -1).filter((pid) => pid > 0);
  }

  /** Create identities (gateway: one session per client) for every pair; resolves with the wall time. */
  async setup(target: LoadTarget, pairs: readonly PairSpec[], concurrency: number, timeoutMs: number) {
    const started = performance.now();
    await Promise.all(
      this.#workers.map((worker, w) => {
        const mine = pairs.filter((_, i) => i % this.#workers.length === w);
        worker.pairs = mine.length;
        return worker.request({ type: 'setup', target, pairs: mine, concurrency }, 'setupDone', timeoutMs);
      }),
    );
    return performance.now() - started;
  }

  /** Connect the first `pairs` pairs (over all workers); resolves with the wall time of this step. */
  async connect(pairs: number, timeoutMs: number): Promise<number> {
    const started = performance.now();
    const count = this.#workers.length;
    await Promise.all(
      this.#workers.map((worker, w) => {
        worker.connectedPairs = Math.min(worker.pairs, Math.ceil((pairs - w) / count));
        return worker.request({ type: 'connect', pairs: worker.connectedPairs }, 'connected', timeoutMs);
      }),
    );
    return performance.now() - started;
  }

  async join(timeoutMs: number): Promise<number> {
    const started = performance.now();
    await Promise.all(this.#workers.map((worker) => worker.request({ type: 'join' }, 'joined', timeoutMs)));
    return performance.now() - started;
  }

  /** Every gateway client heartbeats now, acknowledging all it has seen. */
  async acknowledge(timeoutMs: number): Promise<void> {
    await Promise.all(
      this.#workers.map((worker) => worker.request({ type: 'acknowledge' }, 'acknowledged', timeoutMs)),
    );
  }

  /** One paced phase at `ratePerSecond` in total; the plan's times are process.hrtime µs. */
  async traffic(ratePerSecond: number, plan: Omit<TrafficPlan, 'ratePerSecond'>): Promise<TrafficResult[]> {
    const total = this.#workers.reduce((sum, worker) => sum + worker.connectedPairs, 0);
    const timeoutMs = Math.max(0, plan.drainUntil - nowMicros()) / 1000 + 30_000;
    const replies = await Promise.all(
      this.#workers
        .filter((worker) => worker.connectedPairs > 0)
        .map((worker) =>
          worker.request(
            {
              type: 'traffic',
              plan: { ...plan, ratePerSecond: (ratePerSecond * worker.connectedPairs) / total },
            },
            'trafficDone',
            timeoutMs,
          ),
        ),
    );
    return replies.map((message) => message.result);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#workers.map(async (worker) => {
        if (worker.child.connected) worker.child.send({ type: 'close' } satisfies ToWorker);
        await this.processes.stop(worker.child, 3_000);
      }),
    );
  }
}
