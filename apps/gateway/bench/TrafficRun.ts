import type { BenchClient } from './BenchClient';
import type { TrafficPlan, TrafficResult } from './loadProtocol';
import { nowMicros } from './procStats';
import type { SignalMark } from './signalFrames';
import { signalFrame } from './signalFrames';

/** At most this many frames leave in one pacer tick, so a stalled loop cannot turn into an unbounded burst. */
const MAX_BURST = 2_000;
/** After sending stops, a phase that received nothing for this long has lost the rest. */
const STALL_MICROS = 3_000_000;

/**
 * One paced traffic phase of a load worker: sends SIGNAL frames round-robin over its connections on a
 * fixed schedule (frame k leaves at startAt + k / rate), records every receipt by message id, and
 * reports latency of the messages sent inside the measured window.
 *
 * Message ids continue across phases (`firstId`), so a straggler from an earlier phase is recognised
 * instead of being counted twice.
 */
export class TrafficRun {
  readonly #capacity: number;
  readonly #received: Uint8Array;
  readonly #recipient: Int32Array;
  readonly #latencies: Uint32Array;
  #latencyCount = 0;
  #sent = 0;
  #sentInWindow = 0;
  #receivedCount = 0;
  #receivedInWindow = 0;
  #duplicates = 0;
  #misdelivered = 0;
  #maxLagMs = 0;
  #cursor = 0;
  readonly #timeline: { count: number; sumMicros: number; maxMicros: number }[] = [];
  readonly #errors: Record<string, number> = {};

  constructor(
    readonly plan: TrafficPlan,
    readonly senders: readonly BenchClient[],
    readonly firstId: number,
  ) {
    const seconds = (plan.measureTo - plan.startAt) / 1e6;
    this.#capacity = Math.ceil(plan.ratePerSecond * seconds) + 1_000;
    this.#received = new Uint8Array(this.#capacity);
    this.#recipient = new Int32Array(this.#capacity).fill(-1);
    this.#latencies = new Uint32Array(this.#capacity);
  }

  get nextId(): number {
    return this.firstId + this.#sent;
  }

  countProblem(kind: string): void {
    this.#errors[kind] = (this.#errors[kind] ?? 0) + 1;
  }

  /** Send on schedule until the window closes, then wait for stragglers until `drainUntil`. */
  async run(): Promise<TrafficResult> {
    const { plan } = this;
    if (this.senders.length === 0) throw new Error('no connections to send from');
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = nowMicros();
        if (now >= plan.measureTo) {
          resolve();
          return;
        }
        if (now >= plan.startAt) this.#sendDue(now);
        setTimeout(tick, 1);
      };
      tick();
    });
    // Stragglers: until all arrived, nothing arrived for STALL_MICROS (the rest is lost), or drainUntil.
    await new Promise<void>((resolve) => {
      let lastCount = this.#receivedCount;
      let lastProgress = nowMicros();
      const poll = (): void => {
        const now = nowMicros();
        if (this.#receivedCount !== lastCount) {
          lastCount = this.#receivedCount;
          lastProgress = now;
        }
        if (
          this.#receivedCount >= this.#sent ||
          now >= plan.drainUntil ||
          now - lastProgress >= STALL_MICROS
        ) {
          resolve();
        } else setTimeout(poll, 5);
      };
      poll();
    });
    return {
      sent: this.#sent,
      received: this.#receivedCount,
      duplicates: this.#duplicates,
      misdelivered: this.#misdelivered,
      sentInWindow: this.#sentInWindow,
      receivedInWindow: this.#receivedInWindow,
      latenciesMicros: this.#latencies.slice(0, this.#latencyCount),
      timeline: this.#timeline.map((bucket) => bucket ?? { count: 0, sumMicros: 0, maxMicros: 0 }),
      maxPacerLagMs: this.#maxLagMs,
      errors: { ...this.#errors },
    };
  }

  #sendDue(now: number): void {
    const { plan, senders } = this;
    const due = Math.min(this.#capacity, Math.floor(((now - plan.startAt) * plan.ratePerSecond) / 1e6) + 1);
    const burst = Math.min(due - this.#sent, MAX_BURST);
    for (let i = 0; i < burst; i++) {
      const sender = senders[this.#cursor] as BenchClient;
      this.#cursor = (this.#cursor + 1) % senders.length;
      const slot = this.#sent++;
      const sentAt = nowMicros();
      if (sentAt >= plan.measureFrom && sentAt < plan.measureTo) this.#sentInWindow++;
      this.#recipient[slot] = sender.partner?.index ?? -1;
      sender.send(signalFrame(sender.template!, this.firstId + slot, sentAt));
    }
    const behind = due - this.#sent;
    if (behind > 0) this.#maxLagMs = Math.max(this.#maxLagMs, (behind / plan.ratePerSecond) * 1000);
  }

  /** A benchmark SIGNAL reached `client`. */
  receive(client: BenchClient, mark: SignalMark): void {
    const slot = mark.id - this.firstId;
    if (slot < 0) {
      this.countProblem('straggler from an earlier phase');
      return;
    }
    if (slot >= this.#sent) {
      this.#misdelivered++;
      return;
    }
    if (this.#recipient[slot] !== client.index) {
      this.#misdelivered++;
      return;
    }
    if (this.#received[slot] === 1) {
      this.#duplicates++;
      return;
    }
    this.#received[slot] = 1;
    this.#receivedCount++;
    const now = nowMicros();
    const { measureFrom, measureTo } = this.plan;
    if (now >= measureFrom && now < measureTo) this.#receivedInWindow++;
    const latency = Math.min(0xffffffff, Math.max(0, now - mark.sentAtMicros));
    if (mark.sentAtMicros >= measureFrom && mark.sentAtMicros < measureTo) {
      this.#latencies[this.#latencyCount++] = latency;
    }
    const second = Math.max(0, Math.floor((mark.sentAtMicros - this.plan.startAt) / 1e6));
    if (second < 3_600) {
      for (let i = this.#timeline.length; i <= second; i++)
        this.#timeline.push({ count: 0, sumMicros: 0, maxMicros: 0 });
      const bucket = this.#timeline[second]!;
      bucket.count++;
      bucket.sumMicros += latency;
      if (latency > bucket.maxMicros) bucket.maxMicros = latency;
    }
  }
}
