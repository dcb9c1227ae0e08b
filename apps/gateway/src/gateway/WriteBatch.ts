/** A connection with frames waiting for the end of the turn. */
export interface Batched {
  /** Write what waits (GatewayConnection.flushQueued). */
  flushQueued(): void;
}

/**
 * Flushes are scheduled on a settled promise: Node's queueMicrotask makes an AsyncResource and a bound
 * function per call (110–155 ns per call in a micro-benchmark, against 45 ns for a `then`).
 */
const settled = Promise.resolve();

/**
 * The connections sent frames during the current turn of JavaScript, written once the turn ends (a
 * microtask): each connection's frames of the turn go out in one write. A turn is one socket read in
 * practice, and ws parses every frame of a read before it returns, so the SIGNALs one read brings for the
 * same peer (a trickle of ICE candidates, or a client whose frames piled up while the node was busy) cost
 * one system call instead of one each. The write is most of what relaying a frame costs, and under load
 * more frames share a read, so the saving grows where it is needed: at 40,000 msg/s in the benchmark the
 * node made 23,000–28,000 writes a second instead of 40,000. Nothing waits longer than the turn.
 */
export class WriteBatch {
  private readonly waiting: Batched[] = [];

  /** `onError`: a target's flush threw (a bug); the others are flushed all the same. */
  constructor(private readonly onError: (error: unknown) => void) {}

  add(target: Batched): void {
    if (this.waiting.push(target) === 1) void settled.then(this.flush);
  }

  private readonly flush = (): void => {
    const waiting = this.waiting;
    for (let i = 0; i < waiting.length; i++) {
      try {
        (waiting[i] as Batched).flushQueued();
      } catch (error) {
        this.onError(error);
      }
    }
    waiting.length = 0;
  };
}
