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
 * Writes whole text frames (header and payload in one write) without a new Buffer per frame. Frames are
 * encoded into a slab; a write the kernel took at once (the socket holds nothing afterwards, the usual
 * case) leaves its bytes free for the next frame. A write the socket had to keep (a client not reading
 * fast enough) keeps its bytes: the next frames go after them, and a full slab is replaced, the old one
 * living until those writes are done. A Buffer per frame would cost nothing more to write, but V8 counts
 * the bytes of every new Buffer as external memory, and that starts full collections (one more in each
 * 10 s of the benchmark, with the pause in its p99).
 */
export class FrameWriter {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  /** Bytes of the slab held by writes the sockets kept. */
  private used = 0;

  write(socket: FrameSink, text: string): void {
    const most = MAX_HEADER + text.length * 3;
    if (most > LARGEST_IN_SLAB) {
      socket.write(encodeTextFrame(text));
      return;
    }
    if (this.used + most > SLAB_BYTES) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    // The payload goes after room for the longest header; the header is then put just before it.
    const payloadAt = this.used + MAX_HEADER;
    const size = this.slab.write(text, payloadAt);
    const start = payloadAt - headerLength(size);
    writeHeader(this.slab, start, size);
    const end = payloadAt + size;
    socket.write(this.slab.subarray(start, end));
    if (socket.writableLength !== 0) this.used = end;
  }
}
