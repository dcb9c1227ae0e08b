/**
 * Counts top-level RESP values in a byte stream fed in arbitrary chunks: commands a client sends (arrays
 * of bulk strings) or replies a server sends (any RESP2/RESP3 type, nested arrays included).
 */
export class RespCounter {
  #pending: Buffer = Buffer.alloc(0);

  /** Feed the next chunk; returns how many complete top-level values it finished. */
  feed(chunk: Buffer): number {
    const buffer = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    let offset = 0;
    let complete = 0;
    for (;;) {
      const end = valueEnd(buffer, offset);
      if (end < 0) break;
      offset = end;
      complete++;
    }
    this.#pending = offset >= buffer.length ? Buffer.alloc(0) : buffer.subarray(offset);
    return complete;
  }
}

const CR = 0x0d;

/** Index after the CRLF that ends the line starting at `from`, or -1 when it is not complete yet. */
function lineEnd(buffer: Buffer, from: number): number {
  const cr = buffer.indexOf(CR, from);
  return cr < 0 || cr + 1 >= buffer.length ? -1 : cr + 2;
}

function headerNumber(buffer: Buffer, from: number, end: number): number {
  return Number(buffer.toString('latin1', from + 1, end - 2));
}

/** Index just past the value starting at `from`, or -1 when the buffer ends inside it. */
function valueEnd(buffer: Buffer, from: number): number {
  if (from >= buffer.length) return -1;
  const end = lineEnd(buffer, from);
  if (end < 0) return -1;
  const type = String.fromCharCode(buffer[from] as number);
  switch (type) {
    case '$':
    case '!':
    case '=': {
      const length = headerNumber(buffer, from, end);
      if (length < 0) return end;
      return end + length + 2 <= buffer.length ? end + length + 2 : -1;
    }
    case '*':
    case '~':
    case '>':
    case '%': {
      const count = headerNumber(buffer, from, end);
      const items = type === '%' ? count * 2 : count;
      let offset = end;
      for (let i = 0; i < items; i++) {
        offset = valueEnd(buffer, offset);
        if (offset < 0) return -1;
      }
      return offset;
    }
    default:
      // + - : _ , # ( and inline commands: one line.
      return end;
  }
}
