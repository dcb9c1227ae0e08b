/** FIN set, opcode 1 (text): a whole, unfragmented text message (RFC 6455 §5.2). */
const FIN_TEXT = 0x81;

/**
 * One complete WebSocket text frame as a server sends it (unmasked, not fragmented): the header and the
 * UTF-8 payload in a single Buffer, ready for one socket write.
 */
export function encodeTextFrame(text: string): Buffer {
  const size = Buffer.byteLength(text);
  const head = size < 126 ? 2 : size < 0x1_0000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + size);
  frame[0] = FIN_TEXT;
  if (head === 2) frame[1] = size;
  else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(size, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(size), 2);
  }
  frame.write(text, head);
  return frame;
}
