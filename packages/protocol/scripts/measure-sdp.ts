/**
 * Measures real SDP and SIGNAL frame sizes in Chromium, to size `maxSignalBytes`.
 *
 *   npx tsx scripts/measure-sdp.ts [--runs 3] [--json] [--dump-dir DIR]
 *
 * Drives /usr/bin/chromium (override with CHROMIUM_PATH) through playwright-core with fake media
 * devices, serves scripts/measure-sdp.html on 127.0.0.1, and negotiates two RTCPeerConnections
 * the way simple-peer 9.11.1 does (initiator with a data channel makes every offer). Scenarios:
 * audio only; audio + a getDisplayMedia screen track; audio, then a screen added by the
 * initiator, then a screen added by the other side (two renegotiations). Every frame is also run
 * through decodeClientFrame so a limit too small for real traffic shows up here, not in a call.
 * `--dump-dir` writes the SDPs of the first run there (test/fixtures holds two of them).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import {
  clientMessage,
  DispatchEvent,
  decodeClientFrame,
  defaultLimits,
  encode,
  type SignalData,
  serverMessage,
  utf8Length,
} from '../src/index';

type Scenario = 'audio' | 'audio+screen' | 'renegotiation';
const scenarios: readonly Scenario[] = ['audio', 'audio+screen', 'renegotiation'];

interface Round {
  label: string;
  offer: string;
  answer: string;
  offerGathered: string;
  answerGathered: string;
}
interface Candidate {
  candidate: string;
  sdpMLineIndex: number | null;
  sdpMid: string | null;
}
interface PageResult {
  rounds: Round[];
  candidates: Candidate[];
}

interface Row {
  scenario: string;
  round: string;
  kind: 'offer' | 'answer';
  trickleSdp: number;
  trickleFrame: number;
  gatheredSdp: number;
  gatheredFrame: number;
  dispatchFrame: number;
  accepted: boolean;
}

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    'dump-dir': { type: 'string' },
  },
});
const runs = Math.max(1, Number.parseInt(args.runs ?? '3', 10) || 3);

/** A peer id as long as a UUID; ids may be up to 64 characters (28 bytes more per frame). */
const peerId = randomUUID();

function signalFrame(data: SignalData): string {
  return encode(clientMessage.signal({ to: peerId, data }));
}

function dispatchFrame(data: SignalData): string {
  return encode(serverMessage.dispatch(DispatchEvent.Signal, 123_456, { from: peerId, data }));
}

function accepted(frame: string): boolean {
  return decodeClientFrame(frame).ok;
}

async function main(): Promise<void> {
  const html = await readFile(new URL('./measure-sdp.html', import.meta.url), 'utf8');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
  const version = browser.version();
  const rows: Row[] = [];
  const candidateFrames: number[] = [];
  let candidatesAccepted = true;
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction('window.ready === true');
    for (let run = 0; run < runs; run++) {
      for (const scenario of scenarios) {
        const result = (await page.evaluate(`window.measure(${JSON.stringify(scenario)})`)) as PageResult;
        if (run === 0 && args['dump-dir']) await dump(args['dump-dir'], scenario, result.rounds);
        for (const round of result.rounds) {
          for (const kind of ['offer', 'answer'] as const) {
            const trickle = signalFrame({ type: kind, sdp: round[kind] });
            const gatheredSdp = kind === 'offer' ? round.offerGathered : round.answerGathered;
            const gathered = signalFrame({ type: kind, sdp: gatheredSdp });
            rows.push({
              scenario,
              round: round.label,
              kind,
              trickleSdp: utf8Length(round[kind]),
              trickleFrame: utf8Length(trickle),
              gatheredSdp: utf8Length(gatheredSdp),
              gatheredFrame: utf8Length(gathered),
              dispatchFrame: utf8Length(dispatchFrame({ type: kind, sdp: gatheredSdp })),
              accepted: accepted(trickle) && accepted(gathered),
            });
          }
        }
        for (const candidate of result.candidates) {
          const frame = signalFrame({ type: 'candidate', candidate });
          candidateFrames.push(utf8Length(frame));
          candidatesAccepted &&= accepted(frame);
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }

  const summary = summarise(rows, candidateFrames, candidatesAccepted, version);
  if (args.json) console.log(JSON.stringify(summary, null, 2));
  else printTable(summary);
  if (!summary.allAccepted) process.exitCode = 1;
}

async function dump(dir: string, scenario: string, rounds: Round[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const round of rounds) {
    const name = `${scenario}-${round.label}`.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await writeFile(join(dir, `${name}-offer.sdp`), round.offerGathered);
    await writeFile(join(dir, `${name}-answer.sdp`), round.answerGathered);
  }
}

interface Summary {
  chromium: string;
  runs: number;
  rows: Row[];
  candidates: { count: number; minFrame: number; medianFrame: number; maxFrame: number };
  largestFrame: number;
  maxSignalBytes: number;
  allAccepted: boolean;
}

/** Keeps the largest figure of each (scenario, round, kind) over all runs. */
function summarise(rows: Row[], candidateFrames: number[], candidatesOk: boolean, chromium: string): Summary {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const key = `${row.scenario}|${row.round}|${row.kind}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...row });
    else {
      seen.trickleSdp = Math.max(seen.trickleSdp, row.trickleSdp);
      seen.trickleFrame = Math.max(seen.trickleFrame, row.trickleFrame);
      seen.gatheredSdp = Math.max(seen.gatheredSdp, row.gatheredSdp);
      seen.gatheredFrame = Math.max(seen.gatheredFrame, row.gatheredFrame);
      seen.dispatchFrame = Math.max(seen.dispatchFrame, row.dispatchFrame);
      seen.accepted &&= row.accepted;
    }
  }
  const sorted = [...candidateFrames].sort((x, y) => x - y);
  const merged = [...byKey.values()];
  return {
    chromium,
    runs,
    rows: merged,
    candidates: {
      count: sorted.length,
      minFrame: sorted[0] ?? 0,
      medianFrame: sorted[Math.floor(sorted.length / 2)] ?? 0,
      maxFrame: sorted.at(-1) ?? 0,
    },
    largestFrame: Math.max(...merged.map((row) => Math.max(row.trickleFrame, row.gatheredFrame))),
    maxSignalBytes: defaultLimits.maxSignalBytes,
    allAccepted: candidatesOk && merged.every((row) => row.accepted),
  };
}

function printTable(summary: Summary): void {
  console.log(`Chromium ${summary.chromium}, largest of ${summary.runs} run(s) per scenario, to = ${peerId}`);
  console.log('');
  console.log(
    '| scenario | round | SDP | SDP bytes (trickle) | SIGNAL frame (trickle) | SDP bytes (gathered) | SIGNAL frame (gathered) | SIGNAL dispatch (gathered) |',
  );
  console.log('|---|---|---|---:|---:|---:|---:|---:|');
  for (const row of summary.rows) {
    console.log(
      `| ${row.scenario} | ${row.round} | ${row.kind} | ${row.trickleSdp} | ${row.trickleFrame} | ${row.gatheredSdp} | ${row.gatheredFrame} | ${row.dispatchFrame} |`,
    );
  }
  const { candidates } = summary;
  console.log('');
  console.log(
    `candidate SIGNAL frames: ${candidates.count} seen, min ${candidates.minFrame} B, median ${candidates.medianFrame} B, max ${candidates.maxFrame} B`,
  );
  const ratio = summary.maxSignalBytes / summary.largestFrame;
  console.log(
    `largest SIGNAL frame ${summary.largestFrame} B; maxSignalBytes ${summary.maxSignalBytes} B = ${ratio.toFixed(2)}× that; ` +
      `every frame accepted by decodeClientFrame: ${summary.allAccepted ? 'yes' : 'NO'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
