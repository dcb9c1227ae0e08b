/**
 * `npm run bench:hot-path -w @miscord/gateway`: the gateway's own JavaScript work per relayed SIGNAL,
 * stage by stage, in one process and without sockets, beside what the trivial relay does per frame
 * (`toString` + `JSON.parse`), measured in the same run. It shows where the gateway's CPU per message
 * goes beyond the relay's, in nanoseconds rather than in the end-to-end benchmark's noise.
 *
 * Each figure is the best of several timed loops over 1,000 distinct frames, after a warm-up.
 */
import { decodeClientFrame, encodeSignalDispatchData, type SignalData } from '@miscord/protocol';
import { FrameStore } from '../src/gateway/FrameStore';
import { dispatchFrame } from '../src/gateway/GatewaySession';
import { FrameWriter } from '../src/gateway/textFrame';
import { signalFrame, signalTemplate } from './signalFrames';

const FRAMES = 1_000;
const LOOPS = 7;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300_000);

const template = signalTemplate('u_3b4f0c1e9a2d7f60', 50_000);
const frames = Array.from({ length: FRAMES }, (_, id) =>
  Buffer.from(signalFrame(template, id, 1_796_000_000_000_000 + id)),
);
const datas = frames.map((frame) => {
  const decoded = decodeClientFrame(frame);
  if (!decoded.ok || decoded.message.op !== 5)
    throw new Error('a benchmark frame did not decode as a SIGNAL');
  return decoded.message.d.data;
});
const from = 'u_9c1d2e3f4a5b6c7d';

/** The SIGNAL dispatch as the gateway wrote it before (GatewaySession.dispatch)… */
const stringified = (data: SignalData, s: number): string =>
  JSON.stringify({ op: 0, t: 'SIGNAL', s, d: { from, data } });
/** …and as it writes it now (Gateway.deliverSignal → GatewaySession.dispatchJson). */
const encoded = (data: SignalData, s: number): string =>
  dispatchFrame('SIGNAL', s, encodeSignalDispatchData(from, data));

/** Keeps results alive so the loops are not optimised away. */
let sink: unknown;

function nanosPerCall(run: (i: number) => unknown): number {
  for (let i = 0; i < ITERATIONS / 5; i++) sink = run(i);
  let best = Number.POSITIVE_INFINITY;
  for (let loop = 0; loop < LOOPS; loop++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) sink = run(i);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / ITERATIONS);
  }
  return best;
}

const store = new FrameStore();
const writer = new FrameWriter();
/** A socket that takes every write at once (the usual case), so the writer's slab is reused. */
const socket = { write: (_frame: Uint8Array) => true, writableLength: 0 };

const relayParse = (i: number): unknown => JSON.parse((frames[i % FRAMES] as Buffer).toString());

const stages: [string, (i: number) => unknown][] = [
  ['decodeClientFrame (UTF-8, JSON, schema)', (i) => decodeClientFrame(frames[i % FRAMES] as Buffer)],
  ['dispatch frame, JSON.stringify', (i) => stringified(datas[i % FRAMES] as SignalData, i)],
  ['dispatch frame, encodeSignalData', (i) => encoded(datas[i % FRAMES] as SignalData, i)],
  [
    'JSON.stringify frame + store + write',
    (i) => {
      const frame = stringified(datas[i % FRAMES] as SignalData, i);
      store.release(store.put(frame));
      writer.write(socket, frame);
    },
  ],
  [
    'encodeSignalData frame + store + write',
    (i) => {
      const frame = encoded(datas[i % FRAMES] as SignalData, i);
      store.release(store.put(frame));
      writer.write(socket, frame);
    },
  ],
];

// The baseline runs first and last, and the faster of the two counts: a slow moment of the machine
// during one of them would skew every ratio.
const first = nanosPerCall(relayParse);
const measured = stages.map(([name, run]) => ({ name, ns: nanosPerCall(run) }));
const baseline = Math.min(first, nanosPerCall(relayParse));
const results = [{ name: 'relay: toString + JSON.parse (baseline)', ns: baseline }, ...measured];
process.stdout.write(
  `hot path, ns per SIGNAL (best of ${LOOPS} loops of ${ITERATIONS}); × the relay's parse\n`,
);
for (const { name, ns } of results) {
  process.stdout.write(
    `  ${name.padEnd(42)} ${ns.toFixed(0).padStart(6)} ns  ${(ns / baseline).toFixed(2)}×\n`,
  );
}
if (sink === undefined) process.stdout.write('\n');
