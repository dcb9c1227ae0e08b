/** FIN set, opcode 1 (text): a whole, unfragmented text message (RFC 6455 §5.2). */
const FIN_TEXT = 0x81;
/** The longest header of an unmasked frame: 2 bytes and a 64-bit length. */
const MAX_HEADER = 10;
/** Bytes of one slab of a FrameWriter. */
const SLAB_BYTES = 256 * 1024;
/** Frames that may take more than this many bytes get a buffer of their own (rare: a READY of a big space). */
const LARGEST_IN_SLAB = SLAB_BYTES / 8;

const headerLength = (size: number): number => (size < 126 ? 2 : size < 0x1_0000 ? 4 : MAX_HEADER);

/** Write the header of a `size`-byte text frame at `at`. */
function writeHeader(target: Buffer, at: number, size: number): void {
  target[at] = FIN_TEXT;
  if (size < 126) target[at + 1] = size;
  else if (size < 0x1_0000) {
    target[at + 1] = 126;
    target.writeUInt16BE(size, at + 2);
  } else {
    target[at + 1] = 127;
    target.writeBigUInt64BE(BigInt(size), at + 2);
  }
}

/**
 * One complete WebSocket text frame as a server sends it (unmasked, not fragmented): the header and the
 * UTF-8 payload in a single Buffer of its own.
 */
export function encodeTextFrame(text: string): Buffer {
  const size = Buffer.byteLength(text);
  const head = headerLength(size);
  const frame = Buffer.allocUnsafe(head + size);
  writeHeader(frame, 0, size);
  frame.write(text, head);
  return frame;
}

/** The socket side a FrameWriter writes to (a net.Socket). */
export interface FrameSink {
  write(frame: Uint8Array): boolean;
  /** Bytes the socket still holds, not yet handed to the kernel. */
  readonly writableLength: number;
}

/**
 * The header length of a frame of `text` that fits in a slab (under 64 KB, so a 2- or 4-byte header),
 * from its UTF-16 length when that settles it (at most 3 bytes of UTF-8 per unit), else measured.
 */
function slabHeaderLength(text: string): number {
  if (text.length * 3 < 126) return 2;
  if (text.length >= 126) return 4;
  return headerLength(Buffer.byteLength(text));
}

/**
 * Writes whole text frames (header and payload in one write) without a new Buffer per frame. Frames are
 * encoded into a slab, one after another when several go to the same socket, and each call makes one
 * write. A write the kernel took at once (the socket holds nothing afterwards, the usual case) leaves its
 * bytes free for the next frames. A write the socket had to keep (a client not reading fast enough) keeps
 * its bytes: the next frames go after them, and a full slab is replaced, the old one living until those
 * writes are done. A Buffer per frame would cost nothing more to write, but V8 counts the bytes of every
 * new Buffer as external memory, and that starts full collections (one more in each 10 s of the
 * benchmark, with the pause in its p99).
 */
export class FrameWriter {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  /** Bytes of the slab in use: held by writes the sockets kept, then the frames being gathered. */
  private used = 0;
  /** Where the frames gathered for the next write start in the slab; -1 when there are none. */
  private start = -1;

  /** Write `texts` to `socket` as consecutive frames: one write, unless they outgrow a slab's share. */
  write(socket: FrameSink, texts: string | readonly string[]): void {
    if (typeof texts === 'string') this.add(socket, texts);
    else for (const text of texts) this.add(socket, text);
    this.end(socket);
  }

  private add(socket: FrameSink, text: string): void {
    const most = MAX_HEADER + text.length * 3;
    if (most > LARGEST_IN_SLAB) {
      this.end(socket);
      socket.write(encodeTextFrame(text));
      return;
    }
    if (this.start >= 0 && this.used - this.start + most > LARGEST_IN_SLAB) this.end(socket);
    if (this.used + most > SLAB_BYTES) {
      this.end(socket);
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    if (this.start < 0) this.start = this.used;
    const payloadAt = this.used + slabHeaderLength(text);
    const size = this.slab.write(text, payloadAt);
    writeHeader(this.slab, this.used, size);
    this.used = payloadAt + size;
  }

  /** Write the gathered frames; their bytes stay taken only if the socket kept the write. */
  private end(socket: FrameSink): void {
    if (this.start < 0) return;
    socket.write(this.slab.subarray(this.start, this.used));
    if (socket.writableLength === 0) this.used = this.start;
    this.start = -1;
  }
}
