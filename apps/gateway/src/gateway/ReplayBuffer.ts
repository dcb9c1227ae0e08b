import type { ReplayFrame } from '@miscord/registry';
import type { FrameStore } from './FrameStore';

/** A kept frame: its address in the node's FrameStore, or the frame itself. */
type Entry = number | string;

/** The ring of a buffer that holds nothing (shared, never written). */
const EMPTY: readonly (Entry | undefined)[] = [];
const FIRST_RING = 8;
/**
 * A ring longer than this stays allocated when everything in it is acknowledged. Such a session gets many
 * dispatches between two heartbeats (a busy call), so it would grow a ring through every size up to this
 * one again before the next heartbeat, and each of those arrays lives for seconds: long enough to be
 * promoted to the old generation, whose growth is what starts full collections. At N = 1,000 that was a
 * third of what the node promoted (0.35 → 0.24 MB/s at 13,500 msg/s, 0.65 → 0.44 at 30,000). A quiet
 * session's small ring is dropped as before, so an idle connection holds none.
 */
const KEEP_RING_ABOVE = 32;

/**
 * The dispatches of one session that the client may not have seen: a bounded FIFO of encoded frames
 * with consecutive sequence numbers (a session numbers its dispatches one by one). Frames the client
 * acknowledged (HEARTBEAT carries its last seq) are dropped early, so an attached session holds only what
 * was sent since its last heartbeat, and a quiet session with nothing unacknowledged holds no ring at all.
 *
 * While its session is attached, relayed SIGNALs live in the node's FrameStore, off the JavaScript heap
 * (see FrameStore for why); other dispatches are rare and stay strings. `useStore(null)` turns stored
 * frames back into strings when the socket goes away, so a session waiting for a resume holds no chunk.
 */
export class ReplayBuffer {
  private ring: (Entry | undefined)[] = EMPTY as (Entry | undefined)[];
  /** Where the oldest frame sits in `ring`. */
  private head = 0;
  private count = 0;
  /** Frames with seq ≤ this were dropped (acknowledged or pushed out by the cap); the oldest kept is +1. */
  private droppedThrough = 0;
  /** Where new frames go: the node's store, or null to keep strings. */
  private store: FrameStore | null = null;

  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Slots of the ring it holds (0 when it holds none). */
  get slots(): number {
    return this.ring.length;
  }

  /** Keep frames in `store` from now on, or (null) turn every kept frame back into a string. */
  useStore(store: FrameStore | null): void {
    const previous = this.store;
    this.store = store;
    if (store !== null || previous === null) return;
    for (let i = 0; i < this.count; i++) {
      const index = (this.head + i) % this.ring.length;
      const entry = this.ring[index] as Entry;
      if (typeof entry === 'number') {
        this.ring[index] = previous.read(entry);
        previous.release(entry);
      }
    }
  }

  /** Keep frame `seq`; `inStore`: in the frame store when the session has one (relayed SIGNALs, the bulk). */
  push(seq: number, frame: string, inStore = false): void {
    // Not the next number: the frames in between were never stored, so nothing before `seq` can be
    // replayed (a resume from there gets INVALID_SESSION rather than a silent gap).
    if (seq !== this.droppedThrough + this.count + 1) this.forgetThrough(seq - 1);
    if (this.count === this.capacity) this.dropOldest();
    if (this.count === this.ring.length) this.grow();
    const address = inStore && this.store ? this.store.put(frame) : -1;
    this.ring[(this.head + this.count) % this.ring.length] = address < 0 ? frame : address;
    this.count++;
  }

  /** Dispatch `seq` is one never replayed (READY): it and everything before it are dropped. */
  skip(seq: number): void {
    this.forgetThrough(seq);
  }

  /** Forget frames up to and including `seq` (the client has them). */
  acknowledge(seq: number): void {
    const drop = Math.min(this.count, seq - this.droppedThrough);
    if (drop <= 0) return;
    if (drop === this.count && this.ring.length <= KEEP_RING_ABOVE) {
      this.forgetThrough(this.droppedThrough + drop);
      return;
    }
    for (let i = 0; i < drop; i++) this.dropOldest();
  }

  /** Drop every frame (the session ended). */
  clear(): void {
    this.forgetThrough(this.droppedThrough + this.count);
  }

  /** Frames after `seq`, or null when some of them were already dropped (a gap: cannot resume). */
  since(seq: number): ReplayFrame[] | null {
    if (seq < this.droppedThrough) return null;
    const result: ReplayFrame[] = [];
    for (let i = Math.max(0, seq - this.droppedThrough); i < this.count; i++) {
      const entry = this.ring[(this.head + i) % this.ring.length] as Entry;
      const frame = typeof entry === 'string' ? entry : (this.store as FrameStore).read(entry);
      result.push({ seq: this.droppedThrough + 1 + i, frame });
    }
    return result;
  }

  all(): ReplayFrame[] {
    return this.since(this.droppedThrough) ?? [];
  }

  private release(entry: Entry | undefined): void {
    if (typeof entry === 'number') (this.store as FrameStore).release(entry);
  }

  private dropOldest(): void {
    this.release(this.ring[this.head]);
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.count--;
    this.droppedThrough++;
  }

  /** Drop everything; the next frame kept is `seq + 1`. */
  private forgetThrough(seq: number): void {
    for (let i = 0; i < this.count; i++) this.release(this.ring[(this.head + i) % this.ring.length]);
    this.ring = EMPTY as (Entry | undefined)[];
    this.head = 0;
    this.count = 0;
    this.droppedThrough = seq;
  }

  private grow(): void {
    const next: (Entry | undefined)[] = new Array(
      Math.min(this.capacity, Math.max(FIRST_RING, this.ring.length * 2)),
    );
    for (let i = 0; i < this.count; i++) next[i] = this.ring[(this.head + i) % this.ring.length];
    this.ring = next;
    this.head = 0;
  }

  /**
   * A buffer continuing a stored replay whose last dispatch was `lastSeq`. Only the consecutive run of
   * frames that ends at `lastSeq` is replayable: a resume from before a missing frame is refused.
   */
  static from(frames: readonly ReplayFrame[], capacity: number, lastSeq: number): ReplayBuffer {
    const buffer = new ReplayBuffer(capacity);
    const first = frames[0]?.seq;
    buffer.droppedThrough = first === undefined ? lastSeq : first - 1;
    for (const frame of frames) buffer.push(frame.seq, frame.frame);
    if (buffer.droppedThrough + buffer.count !== lastSeq) buffer.forgetThrough(lastSeq);
    return buffer;
  }
}
