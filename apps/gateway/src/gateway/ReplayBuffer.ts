import type { ReplayFrame } from '@miscord/registry';

/**
 * The dispatches of one session that the client may not have seen: a bounded FIFO of encoded frames.
 * Frames the client acknowledged (HEARTBEAT carries its last seq) are dropped early, so an attached
 * session holds only what was sent since its last heartbeat.
 */
export class ReplayBuffer {
  private seqs: number[] = [];
  private frames: string[] = [];
  private head = 0;
  /** Frames with seq ≤ this were dropped (acknowledged or pushed out by the cap). */
  private droppedThrough = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.seqs.length - this.head;
  }

  push(seq: number, frame: string): void {
    this.seqs.push(seq);
    this.frames.push(frame);
    if (this.size > this.capacity) this.dropOne();
  }

  /** Forget frames up to and including `seq` (the client has them). */
  acknowledge(seq: number): void {
    while (this.head < this.seqs.length && (this.seqs[this.head] as number) <= seq) this.dropOne();
  }

  private dropOne(): void {
    this.droppedThrough = this.seqs[this.head] as number;
    this.frames[this.head] = '';
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }

  /** Frames after `seq`, or null when some of them were already dropped (a gap: cannot resume). */
  since(seq: number): ReplayFrame[] | null {
    if (seq < this.droppedThrough) return null;
    const result: ReplayFrame[] = [];
    for (let i = this.head; i < this.seqs.length; i++) {
      const s = this.seqs[i] as number;
      if (s > seq) result.push({ seq: s, frame: this.frames[i] as string });
    }
    return result;
  }

  all(): ReplayFrame[] {
    return this.since(this.droppedThrough) ?? [];
  }

  static from(frames: readonly ReplayFrame[], capacity: number, lastSeq: number): ReplayBuffer {
    const buffer = new ReplayBuffer(capacity);
    const first = frames[0]?.seq;
    buffer.droppedThrough = first === undefined ? lastSeq : first - 1;
    for (const frame of frames) buffer.push(frame.seq, frame.frame);
    return buffer;
  }
}
