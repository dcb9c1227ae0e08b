/** Bytes in one chunk of the store. */
export const CHUNK_BYTES = 256 * 1024;
/** Chunks the store reserves (128 MB of address space; pages become resident only once written). */
const DEFAULT_CHUNKS = 512;
/** Each frame is its UTF-8 length (4 bytes, little-endian) followed by its bytes. */
const HEADER = 4;

export interface FrameStoreStats {
  /** Chunks holding frames (or being written). */
  readonly chunks: number;
  /** Bytes of those chunks. */
  readonly bytes: number;
  readonly frames: number;
}

/**
 * Replay frames as UTF-8 bytes outside the JavaScript heap, for the node's attached sessions. A session
 * keeps only each frame's address, a small integer, and releases it when the client no longer needs the
 * frame (acknowledged, pushed out by the cap, or moved back to a string when the socket went away).
 *
 * Why: a session keeps every dispatch until its next heartbeat, seconds later. Kept as strings, relayed
 * SIGNALs outlived two young-generation collections, were copied twice and promoted, and under load the
 * old generation grew by megabytes a second, so the node ran a full mark-compact every second or two;
 * those pauses set the gateway's p99 relay latency. Buffers allocated as the store grows do not help: V8
 * counts their bytes as external memory and starts the same collections. So the store reserves its
 * memory once, in one allocation, and reuses chunks: frames are written one after another into a chunk,
 * and a chunk whose frames were all released goes back to the free list. The reservation is address
 * space; only chunks ever written become resident memory.
 *
 * When every chunk is taken, `put` says so and the caller keeps a string, as before the store.
 */
export class FrameStore {
  /** The reservation; null until the first frame (or for good, when `refused`). */
  private bytes: Buffer | null = null;
  /** The reservation failed: store nothing. */
  private refused = false;
  /** Frames not yet released, by chunk. */
  private readonly live: Int32Array;
  /** Chunks with nothing in them, the most recently freed last (reused first: its pages are resident). */
  private readonly free: number[] = [];
  private current = -1;
  /** Where the next frame goes in the current chunk. */
  private writeAt = 0;
  private liveFrames = 0;

  constructor(
    private readonly chunkCount = DEFAULT_CHUNKS,
    /** Allocates the reservation (allocUnsafeSlow: uninitialised, not from Node's pool). */
    private readonly allocate: (bytes: number) => Buffer = Buffer.allocUnsafeSlow,
  ) {
    this.live = new Int32Array(chunkCount);
    for (let chunk = chunkCount - 1; chunk >= 0; chunk--) this.free.push(chunk);
  }

  /** Store a frame; returns its address, or -1 when it does not fit (too large, or the store is full). */
  put(frame: string): number {
    if (this.bytes === null && !this.reserve()) return -1;
    // A UTF-16 unit takes at most 3 bytes of UTF-8: when that fits, no need to measure the frame first.
    if (this.current < 0 || this.writeAt + HEADER + frame.length * 3 > CHUNK_BYTES) {
      const need = HEADER + Buffer.byteLength(frame);
      if (need > CHUNK_BYTES) return -1;
      if (this.current < 0 || this.writeAt + need > CHUNK_BYTES) {
        if (!this.nextChunk()) return -1;
      }
    }
    const bytes = this.bytes as Buffer;
    const start = this.current * CHUNK_BYTES + this.writeAt;
    const written = bytes.write(frame, start + HEADER);
    bytes.writeUInt32LE(written, start);
    this.writeAt += HEADER + written;
    this.live[this.current] = (this.live[this.current] as number) + 1;
    this.liveFrames++;
    return start;
  }

  /** A frame `put` stored (so the reservation exists). */
  read(address: number): string {
    const bytes = this.bytes as Buffer;
    const length = bytes.readUInt32LE(address);
    return bytes.toString('utf8', address + HEADER, address + HEADER + length);
  }

  /** The frame at `address` is no longer needed. */
  release(address: number): void {
    const chunk = Math.floor(address / CHUNK_BYTES);
    this.liveFrames--;
    const left = (this.live[chunk] as number) - 1;
    this.live[chunk] = left;
    if (left === 0 && chunk !== this.current) this.free.push(chunk);
  }

  stats(): FrameStoreStats {
    const chunks = this.chunkCount - this.free.length;
    return { chunks, bytes: chunks * CHUNK_BYTES, frames: this.liveFrames };
  }

  /**
   * Reserve the memory, on first use (a node that relays nothing reserves nothing). Where the system
   * refuses (no overcommit, a small address-space limit) the store stays empty and frames stay strings.
   */
  private reserve(): boolean {
    if (this.refused) return false;
    try {
      // Untouched pages of an uninitialised allocation cost no memory.
      this.bytes = this.allocate(this.chunkCount * CHUNK_BYTES);
      return true;
    } catch {
      this.refused = true;
      return false;
    }
  }

  /** Move on from the current chunk: rewrite it from the start if it holds nothing, else take a free one. */
  private nextChunk(): boolean {
    if (this.current >= 0 && this.live[this.current] === 0) {
      this.writeAt = 0;
      return true;
    }
    const next = this.free.pop();
    if (next === undefined) return false;
    this.current = next;
    this.writeAt = 0;
    return true;
  }
}
