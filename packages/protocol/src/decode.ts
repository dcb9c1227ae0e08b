import type { TSchema } from 'typebox';
import { CloseCode, ErrorCode } from './codes';
import { compile, describeErrors, formatProblem, type Validator } from './describeErrors';
import { defaultLimits } from './limits';
import { DispatchEvent, GatewayOp, opName } from './opcodes';
import { type ClientOp, type ClientPayload, clientPayloadSchemas } from './schemas/client';
import { dispatchSchemas, type ServerPayload, serverPayloadSchemas } from './schemas/server';

/** Why a frame was refused: either the connection closes with a code, or an ERROR answers it. */
export type ProtocolError =
  | { readonly kind: 'close'; readonly closeCode: CloseCode; readonly reason: string }
  | {
      readonly kind: 'error';
      readonly code: ErrorCode;
      readonly message: string;
      readonly op: number;
      readonly id?: string;
    };

export type DecodeResult<M> =
  | { readonly ok: true; readonly message: M; readonly bytes: number }
  | { readonly ok: false; readonly error: ProtocolError; readonly bytes: number };

export interface DecodeOptions {
  /** The frame arrived as a binary WebSocket message. */
  readonly binary?: boolean;
  readonly maxFrameBytes?: number;
  readonly maxSignalBytes?: number;
  readonly maxControlBytes?: number;
}

function compileAll<K extends PropertyKey>(schemas: Record<K, TSchema>): Map<K, Validator> {
  return new Map(Object.entries(schemas).map(([key, schema]) => [key as K, compile(schema as TSchema)]));
}

const clientValidators = new Map(
  Object.entries(clientPayloadSchemas).map(([op, schema]) => [Number(op), compile(schema as TSchema)]),
);
const serverValidators = new Map(
  Object.entries(serverPayloadSchemas).map(([op, schema]) => [Number(op), compile(schema as TSchema)]),
);
const dispatchValidators = compileAll<string>(dispatchSchemas);
const knownEvents = new Set<string>(Object.values(DispatchEvent));

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** A WebSocket close reason may hold at most 123 bytes of UTF-8 (RFC 6455 §5.5). */
export const MAX_CLOSE_REASON_BYTES = 123;

const close = (closeCode: CloseCode, reason: string): ProtocolError => ({
  kind: 'close',
  closeCode,
  reason: clampUtf8(reason.replace(loneSurrogate, '\ufffd'), MAX_CLOSE_REASON_BYTES),
});

/** V8's JSON.parse messages quote the offending UTF-16 unit, which can be half a pair. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The longest prefix of `text` within `maxBytes` of UTF-8, never splitting a surrogate pair. */
export function clampUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || utf8Length(text) <= maxBytes) return text;
  let end = 0;
  let bytes = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > maxBytes - 3) return `${text.slice(0, end)}…`;
    bytes += size;
    end += char.length;
  }
  return text;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** UTF-8 byte length of a string without allocating. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3; // BMP, or a lone surrogate (sent as U+FFFD, 3 bytes)
  }
  return bytes;
}

interface Envelope {
  readonly op: number;
  readonly d: unknown;
  readonly [key: string]: unknown;
}

function parseEnvelope(
  data: string | Uint8Array,
  options: DecodeOptions,
  allowedKeys: ReadonlySet<string>,
): { ok: true; envelope: Envelope; bytes: number } | { ok: false; error: ProtocolError; bytes: number } {
  const bytes = typeof data === 'string' ? utf8Length(data) : data.byteLength;
  const maxFrameBytes = options.maxFrameBytes ?? defaultLimits.maxFrameBytes;
  if (options.binary)
    return { ok: false, bytes, error: close(CloseCode.DecodeError, 'binary frames are not accepted') };
  if (bytes > maxFrameBytes) {
    return {
      ok: false,
      bytes,
      error: close(CloseCode.DecodeError, `frame of ${bytes} bytes exceeds the ${maxFrameBytes}-byte limit`),
    };
  }
  let text: string;
  try {
    text = typeof data === 'string' ? data : textDecoder.decode(data);
  } catch {
    return { ok: false, bytes, error: close(CloseCode.DecodeError, 'frame is not valid UTF-8') };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return {
      ok: false,
      bytes,
      error: close(CloseCode.DecodeError, `frame is not valid JSON: ${detail}`),
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, bytes, error: close(CloseCode.DecodeError, 'frame is not a JSON object {op, d}') };
  }
  const envelope = value as Record<string, unknown>;
  if (!Number.isInteger(envelope.op)) {
    return {
      ok: false,
      bytes,
      error: close(CloseCode.DecodeError, 'envelope field `op` must be an integer'),
    };
  }
  if (!('d' in envelope)) {
    return { ok: false, bytes, error: close(CloseCode.DecodeError, 'envelope field `d` is missing') };
  }
  // for…in, not Object.keys: no array per frame (a parsed object has no inherited enumerable keys).
  for (const key in envelope) {
    if (!allowedKeys.has(key)) {
      return {
        ok: false,
        bytes,
        error: close(CloseCode.DecodeError, `unexpected envelope field \`${key}\``),
      };
    }
  }
  return { ok: true, envelope: envelope as Envelope, bytes };
}

const clientEnvelopeKeys = new Set(['op', 'd']);
/** Ops whose `d.topics` entries get INVALID_TOPIC rather than INVALID_PAYLOAD when malformed. */
const topicOpcodes = new Set<number>([GatewayOp.Subscribe, GatewayOp.Unsubscribe]);
const serverEnvelopeKeys = new Set(['op', 'd', 's', 't']);

/**
 * Decode a frame a client sent. Never throws: returns the typed message, or the close code or
 * ERROR that the gateway must answer with.
 */
export function decodeClientFrame(
  data: string | Uint8Array,
  options: DecodeOptions = {},
): DecodeResult<ClientPayload> {
  const parsed = parseEnvelope(data, options, clientEnvelopeKeys);
  if (!parsed.ok) return parsed;
  const { envelope, bytes } = parsed;
  const validator = clientValidators.get(envelope.op);
  if (!validator) {
    return {
      ok: false,
      bytes,
      error: close(
        CloseCode.UnknownOpcode,
        `unknown op ${envelope.op} (${opName(envelope.op)}) from a client`,
      ),
    };
  }
  const limit =
    envelope.op === GatewayOp.Signal
      ? (options.maxSignalBytes ?? defaultLimits.maxSignalBytes)
      : (options.maxControlBytes ?? defaultLimits.maxControlBytes);
  if (bytes > limit) {
    return {
      ok: false,
      bytes,
      error: close(
        CloseCode.DecodeError,
        `${opName(envelope.op)} frame of ${bytes} bytes exceeds its ${limit}-byte limit`,
      ),
    };
  }
  if (!validator.Check(envelope)) {
    const id = requestIdOf(envelope.d);
    const problem = describeErrors(validator, envelope);
    const badTopic = topicOpcodes.has(envelope.op) && /^\/d\/topics\/\d+$/.test(problem.path);
    return {
      ok: false,
      bytes,
      error: {
        kind: 'error',
        code: badTopic ? ErrorCode.InvalidTopic : ErrorCode.InvalidPayload,
        op: envelope.op,
        message: badTopic
          ? `${opName(envelope.op)}: ${problem.path} must be a topic of the form voice:<channelId>`
          : `${opName(envelope.op)}: ${formatProblem(problem)}`,
        ...(id === undefined ? {} : { id }),
      },
    };
  }
  return { ok: true, message: envelope as unknown as ClientPayload, bytes };
}

function requestIdOf(d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null) return undefined;
  const id = (d as { id?: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

/**
 * Decode a frame the server sent (used by clients and tests). Never throws.
 */
export function decodeServerFrame(
  data: string | Uint8Array,
  options: DecodeOptions = {},
): DecodeResult<ServerPayload> {
  const parsed = parseEnvelope(
    data,
    { maxFrameBytes: Number.MAX_SAFE_INTEGER, ...options },
    serverEnvelopeKeys,
  );
  if (!parsed.ok) return parsed;
  const { envelope, bytes } = parsed;
  let validator: Validator | undefined;
  if (envelope.op === GatewayOp.Dispatch) {
    const t = envelope.t;
    if (typeof t !== 'string' || !knownEvents.has(t)) {
      return {
        ok: false,
        bytes,
        error: close(
          CloseCode.DecodeError,
          `unknown dispatch event ${typeof t === 'string' ? JSON.stringify(t.slice(0, 64)) : typeof t}`,
        ),
      };
    }
    validator = dispatchValidators.get(t);
  } else {
    validator = serverValidators.get(envelope.op);
  }
  if (!validator) {
    return {
      ok: false,
      bytes,
      error: close(CloseCode.UnknownOpcode, `unknown op ${envelope.op} from the server`),
    };
  }
  if (!validator.Check(envelope)) {
    return {
      ok: false,
      bytes,
      error: close(
        CloseCode.DecodeError,
        `${typeof envelope.t === 'string' ? envelope.t.slice(0, 64) : opName(envelope.op)}: ${formatProblem(describeErrors(validator, envelope))}`,
      ),
    };
  }
  return { ok: true, message: envelope as unknown as ServerPayload, bytes };
}

/** A client's HEARTBEAT or RESUME sequence is invalid when it claims more than the server sent. */
export function isSeqAhead(claimed: number, lastSent: number): boolean {
  return claimed > lastSent;
}

export function isClientOp(op: number): op is ClientOp {
  return clientValidators.has(op);
}
