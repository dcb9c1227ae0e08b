/**
 * SIGNAL frames of the load generator, built from a per-sender template so that sending costs one
 * string concatenation, and read back on receipt by scanning bytes (no JSON.parse on the hot path).
 *
 * The frame is a valid protocol v1 SIGNAL: a trickle-ICE candidate whose candidate line carries the
 * message id and the send time as `~b<id>.<sentAtMicros>~`. Both servers relay `data` unchanged, so the
 * marker survives: the trivial relay forwards the frame as is, the gateway wraps `data` in a SIGNAL
 * dispatch.
 */

const MARKER = Buffer.from('~b');
const SEQ_KEY = Buffer.from('"s":');
const DOT = 0x2e;
const TILDE = 0x7e;
const ZERO = 0x30;
const NINE = 0x39;

export interface SignalTemplate {
  readonly prefix: string;
  readonly suffix: string;
}

/** The template of frames from one sender to `to`; `port` only varies the candidate line. */
export function signalTemplate(to: string, port: number): SignalTemplate {
  const line = `candidate:3657830293 1 udp 2122260223 192.0.2.10 ${port} typ host generation 0 ufrag b3Nc network-id 1 network-cost 10`;
  const head = JSON.stringify({
    op: 5,
    d: { to, data: { type: 'candidate', candidate: { candidate: line } } },
  });
  // Split the serialised frame where the candidate line ends, so the marker goes inside the string.
  const cut = head.indexOf(line) + line.length;
  return {
    prefix: `${head.slice(0, cut)} ~b`,
    // head ends with `"}}}}`: close the line, then add the candidate's other fields and close the objects.
    suffix: `~${head.slice(cut, -4)},"sdpMLineIndex":0,"sdpMid":"0"}}}}`,
  };
}

export function signalFrame(template: SignalTemplate, id: number, sentAtMicros: number): string {
  return `${template.prefix}${id}.${sentAtMicros}${template.suffix}`;
}

export interface SignalMark {
  readonly id: number;
  readonly sentAtMicros: number;
}

/** The unsigned decimal at `buffer[from]`, and where it ends; `end === from` when there is none. */
function readUint(buffer: Uint8Array, from: number): { value: number; end: number } {
  let value = 0;
  let end = from;
  while (end < buffer.length) {
    const byte = buffer[end] as number;
    if (byte < ZERO || byte > NINE) break;
    value = value * 10 + (byte - ZERO);
    end++;
  }
  return { value, end };
}

/** The marker of a benchmark SIGNAL frame, or undefined when the frame carries none. */
export function readSignalMark(frame: Buffer): SignalMark | undefined {
  const at = frame.indexOf(MARKER);
  if (at < 0) return undefined;
  const id = readUint(frame, at + MARKER.length);
  if (id.end === at + MARKER.length || frame[id.end] !== DOT) return undefined;
  const sentAt = readUint(frame, id.end + 1);
  if (sentAt.end === id.end + 1 || frame[sentAt.end] !== TILDE) return undefined;
  return { id: id.value, sentAtMicros: sentAt.value };
}

/** The dispatch sequence number `"s":<n>` of a gateway frame, or undefined. */
export function readSeq(frame: Buffer): number | undefined {
  const at = frame.indexOf(SEQ_KEY);
  if (at < 0) return undefined;
  const seq = readUint(frame, at + SEQ_KEY.length);
  return seq.end === at + SEQ_KEY.length ? undefined : seq.value;
}
