import type { SignalData } from './schemas/common';

/**
 * The characters JSON.stringify escapes in a string: `"`, `\` and the controls below U+0020, and lone
 * surrogates. Any surrogate sends the string the slow way, paired ones included, so the fast path never
 * has to tell the two apart.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes exactly these controls.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text, exactly as JSON.stringify writes it; quoted as is when nothing needs escaping. */
export function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}

const nullableString = (text: string | null): string => (text === null ? 'null' : jsonString(text));

/**
 * SIGNAL data as JSON text, for data the SignalData schema accepted. It is the text JSON.stringify writes
 * for the same value, with the keys in the schema's order (the client's order may differ; JSON does not
 * care). The schema is strict, so there is no other key to lose.
 *
 * Why: the gateway serialises every relayed SIGNAL, and JSON.stringify spends most of that time checking
 * the candidate line for characters to escape, one by one. One regular-expression test per string does
 * the same check several times faster (benchmark: `npm run bench:hot-path -w @miscord/gateway`). An SDP
 * always holds line breaks, so it still goes through JSON.stringify.
 */
export function encodeSignalData(data: SignalData): string {
  switch (data.type) {
    case 'candidate': {
      const { candidate, sdpMLineIndex, sdpMid, usernameFragment } = data.candidate;
      let text = `{"type":"candidate","candidate":{"candidate":${jsonString(candidate)}`;
      if (sdpMLineIndex !== undefined) text += `,"sdpMLineIndex":${sdpMLineIndex}`;
      if (sdpMid !== undefined) text += `,"sdpMid":${nullableString(sdpMid)}`;
      if (usernameFragment !== undefined) text += `,"usernameFragment":${nullableString(usernameFragment)}`;
      return `${text}}}`;
    }
    case 'offer':
    case 'answer':
      return `{"type":"${data.type}","sdp":${jsonString(data.sdp)}}`;
    default:
      // renegotiate and transceiverRequest (whose `init` is free-form) are rare.
      return JSON.stringify(data);
  }
}

/** The `d` of a SIGNAL dispatch, `{from, data}`, as JSON text (`data` as for encodeSignalData). */
export function encodeSignalDispatchData(from: string, data: SignalData): string {
  return `{"from":${jsonString(from)},"data":${encodeSignalData(data)}}`;
}
