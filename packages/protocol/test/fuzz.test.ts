/**
 * Property-based fuzzing of both decoders with fast-check. FUZZ_RUNS (default 10,000) frames each,
 * a mix of random input and mutations of valid frames. The decoders must never throw, and every
 * outcome must be one the protocol defines: a message that passes the schema, a close code from
 * closeCodeTable (with a reason a WebSocket can carry), or an ERROR code from ErrorCode. The tally of
 * outcomes is printed for CI logs. It found three decoder bugs so far: an off-by-one UTF-8 length,
 * close reasons over 123 bytes, and a stack overflow on deeply nested `t`.
 */
import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import {
  ClientPayload,
  closeCodeTable,
  type DecodeOptions,
  type DecodeResult,
  decodeClientFrame,
  decodeServerFrame,
  ErrorCode,
  encode,
  KiB,
  opName,
  ServerPayload,
} from '../src/index';
import { clientSamples, serverSamples } from './fixtures/messages';

const runs = Number.parseInt(process.env.FUZZ_RUNS ?? '', 10) || 10_000;
/** Replays a failure: fast-check prints the seed of a failing run; FUZZ_SEED=<seed> runs it again. */
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number.parseInt(process.env.FUZZ_SEED, 10);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

interface Input {
  readonly frame: string | Uint8Array;
  readonly binary: boolean;
}

/** Mutations of a parsed valid frame, as data so fast-check can shrink and replay them. */
type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'add'; at: number; key: string; value: Json }
  | { kind: 'retype'; at: number; value: Json }
  | { kind: 'op'; op: number }
  | { kind: 'huge'; at: number; value: number }
  | { kind: 'unicode'; at: number; text: string }
  | { kind: 'nest'; at: number; depth: number; asArray: boolean }
  | { kind: 'duplicate'; at: number }
  | { kind: 'envelope'; key: string; value: Json }
  | { kind: 'pad'; bytes: number };

type TextMutation =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'repeat' }
  | { kind: 'flip'; at: number; byte: number };

const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 40 }));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key: anyString, value: json }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: json }),
  fc.record({
    kind: fc.constant('op' as const),
    op: fc.oneof(fc.integer({ min: -2, max: 16 }), fc.integer(), fc.constant(2 ** 53)),
  }),
  fc.record({
    kind: fc.constant('huge' as const),
    at: fc.nat(),
    value: fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 53), -0, 5e-324, 0.5, 4, -1, 2 ** 31),
  }),
  fc.record({ kind: fc.constant('unicode' as const), at: fc.nat(), text: fc.string({ unit: 'binary' }) }),
  fc.record({
    kind: fc.constant('nest' as const),
    at: fc.nat(),
    depth: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1000, max: 5000 })),
    asArray: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('envelope' as const),
    key: fc.constantFrom('s', 't', 'x', '__proto__'),
    value: json,
  }),
  fc.record({
    kind: fc.constant('pad' as const),
    bytes: fc.constantFrom(5 * KiB, 17 * KiB, 33 * KiB, 65 * KiB),
  }),
);

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.constant({ kind: 'repeat' as const }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
);

/** Every path to a value inside `root` (objects and arrays), the root itself excluded. */
function pathsOf(root: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (root !== null && typeof root === 'object') {
    for (const [key, value] of Object.entries(root)) {
      const path = [...prefix, Array.isArray(root) ? Number(key) : key];
      out.push(path);
      if (out.length < 200) pathsOf(value, path, out);
    }
  }
  return out;
}

function parentOf(
  root: Json,
  path: Path,
): { parent: Json[] | { [key: string]: Json }; key: string | number } | undefined {
  let node: Json = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, Json>)[key as string] as Json;
  }
  const key = path.at(-1);
  return node !== null && typeof node === 'object' && key !== undefined ? { parent: node, key } : undefined;
}

function set(root: Json, at: number, change: (value: Json) => Json | undefined): void {
  const paths = pathsOf(root);
  const path = paths[at % Math.max(paths.length, 1)];
  const slot = path && parentOf(root, path);
  if (!slot) return;
  const record = slot.parent as Record<string | number, Json>;
  const next = change(record[slot.key] as Json);
  if (next !== undefined) record[slot.key] = next;
  else if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
  else delete record[slot.key];
}

/**
 * Deep nesting is spliced into the JSON text after stringifying (JSON.stringify itself would
 * overflow the stack at a few thousand levels): the value is replaced by a placeholder string.
 */
interface Nesting {
  readonly placeholder: string;
  readonly depth: number;
  readonly asArray: boolean;
  readonly value: Json;
}

function spliceNesting(text: string, nestings: Nesting[]): string {
  let out = text;
  for (const { placeholder, depth, asArray, value } of nestings) {
    const inner = JSON.stringify(value);
    const open = asArray ? '['.repeat(depth) : '{"n":'.repeat(depth);
    const close = (asArray ? ']' : '}').repeat(depth);
    out = out.replace(JSON.stringify(placeholder), () => open + inner + close);
  }
  return out;
}

function applyMutation(frame: { [key: string]: Json }, m: Mutation, nestings: Nesting[]): void {
  switch (m.kind) {
    case 'drop':
      set(frame, m.at, () => undefined);
      break;
    case 'add':
      set(frame, m.at, (value) =>
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? { ...value, [m.key]: m.value }
          : value,
      );
      break;
    case 'retype':
      set(frame, m.at, () => m.value);
      break;
    case 'op':
      frame.op = m.op;
      break;
    case 'huge':
      set(frame, m.at, () => m.value);
      break;
    case 'unicode':
      set(frame, m.at, (value) => (typeof value === 'string' ? value + m.text : m.text));
      break;
    case 'nest':
      set(frame, m.at, (value) => {
        const placeholder = `\u0000nest${nestings.length}`;
        nestings.push({ placeholder, depth: m.depth, asArray: m.asArray, value });
        return placeholder;
      });
      break;
    case 'duplicate':
      set(frame, m.at, (value) => (typeof value === 'string' ? value + value : [value, value]));
      break;
    case 'envelope':
      // defineProperty, so that '__proto__' becomes an own key as JSON.parse would make it.
      Object.defineProperty(frame, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      break;
    case 'pad': {
      const d = frame.d;
      if (d !== null && typeof d === 'object' && !Array.isArray(d)) {
        const key = Object.keys(d).find((k) => typeof d[k] === 'string');
        if (key) d[key] = (d[key] as string) + 'x'.repeat(m.bytes);
        else d.padding = 'x'.repeat(m.bytes);
      } else frame.d = 'x'.repeat(m.bytes);
      break;
    }
  }
}

function applyText(text: string, m: TextMutation): string | Uint8Array {
  switch (m.kind) {
    case 'none':
      return text;
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'repeat':
      return text + text;
    case 'flip': {
      const bytes = new TextEncoder().encode(text);
      if (bytes.length > 0) bytes[m.at % bytes.length] = m.byte;
      return bytes;
    }
  }
}

function mutatedFrames(samples: Json[]): fc.Arbitrary<Input> {
  return fc
    .record({
      sample: fc.constantFrom(...samples),
      mutations: fc.array(mutation, { minLength: 0, maxLength: 3 }),
      text: textMutation,
      asBytes: fc.boolean(),
    })
    .map(({ sample, mutations, text, asBytes }) => {
      const frame = structuredClone(sample) as { [key: string]: Json };
      const nestings: Nesting[] = [];
      for (const m of mutations) applyMutation(frame, m, nestings);
      const mutated = applyText(spliceNesting(JSON.stringify(frame), nestings), text);
      return {
        frame: asBytes && typeof mutated === 'string' ? new TextEncoder().encode(mutated) : mutated,
        binary: false,
      };
    });
}

const randomFrames: fc.Arbitrary<Input> = fc.oneof(
  anyString.map((frame) => ({ frame, binary: false })),
  fc.string({ unit: 'binary', maxLength: 300 }).map((frame) => ({ frame, binary: false })),
  fc.record({ frame: fc.uint8Array({ maxLength: 300 }), binary: fc.boolean() }),
  fc.jsonValue().map((value) => ({ frame: JSON.stringify(value), binary: false })),
  fc
    .record({ op: fc.oneof(fc.integer({ min: -1, max: 16 }), json), d: json }, { requiredKeys: [] })
    .map((value) => ({ frame: JSON.stringify(value), binary: false })),
);

const frames = (samples: Json[]) =>
  fc.oneof({ weight: 1, arbitrary: randomFrames }, { weight: 2, arbitrary: mutatedFrames(samples) });

const errorCodes = new Set<string>(Object.values(ErrorCode));
const byteLength = (frame: string | Uint8Array) =>
  typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;

function fuzz<M>(
  name: string,
  samples: Json[],
  decode: (frame: string | Uint8Array, options: DecodeOptions) => DecodeResult<M>,
  check: (message: M) => boolean,
): Map<string, number> {
  const tally = new Map<string, number>();
  fc.assert(
    fc.property(frames(samples), ({ frame, binary }) => {
      let result: DecodeResult<M>;
      try {
        result = decode(frame, { binary });
      } catch (cause) {
        throw new Error(`${name} threw`, { cause });
      }
      if (result.bytes !== byteLength(frame)) throw new Error(`bytes ${result.bytes} ≠ ${byteLength(frame)}`);
      let label: string;
      if (result.ok) {
        if (!check(result.message)) throw new Error('decoded a message that fails the schema');
        label = 'ok';
      } else if (result.error.kind === 'close') {
        if (!(result.error.closeCode in closeCodeTable))
          throw new Error(`close code ${result.error.closeCode}`);
        const reasonBytes = Buffer.byteLength(result.error.reason);
        if (reasonBytes === 0 || reasonBytes > 123) throw new Error(`close reason of ${reasonBytes} bytes`);
        if (
          /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(result.error.reason)
        )
          throw new Error('close reason holds half a surrogate pair');
        label = `close ${result.error.closeCode}`;
      } else {
        if (!errorCodes.has(result.error.code)) throw new Error(`error code ${result.error.code}`);
        if (!result.error.message.startsWith(`${opName(result.error.op)}: `))
          throw new Error('message names no op');
        label = result.error.code;
      }
      tally.set(label, (tally.get(label) ?? 0) + 1);
    }),
    { numRuns: runs, ...(seed === undefined ? {} : { seed }) },
  );
  const total = [...tally.values()].reduce((sum, count) => sum + count, 0);
  const parts = [...tally.entries()].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${label} ${count}`);
  console.log(`fuzz ${name}: ${total} frames → ${parts.join(', ')}`);
  return tally;
}

const asJson = (messages: object[]): Json[] =>
  messages.map((message) => JSON.parse(encode(message as ClientPayload)));

describe('fuzz', () => {
  it(`decodeClientFrame: ${runs} frames, never throws, every outcome defined`, () => {
    const check = Compile(ClientPayload);
    const tally = fuzz('decodeClientFrame', asJson(Object.values(clientSamples)), decodeClientFrame, (m) =>
      check.Check(m),
    );
    // The mix must reach every kind of outcome, or the fuzz is not exploring the decoder.
    for (const label of ['ok', 'INVALID_PAYLOAD', 'close 4001', 'close 4002'])
      expect(tally.get(label)).toBeGreaterThan(0);
  }, 120_000);

  it(`decodeServerFrame: ${runs} frames, never throws, every outcome defined`, () => {
    const check = Compile(ServerPayload);
    const tally = fuzz('decodeServerFrame', asJson(Object.values(serverSamples)), decodeServerFrame, (m) =>
      check.Check(m),
    );
    for (const label of ['ok', 'close 4001', 'close 4002']) expect(tally.get(label)).toBeGreaterThan(0);
  }, 120_000);
});
