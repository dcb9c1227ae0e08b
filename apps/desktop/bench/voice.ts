// npm run bench:voice — "click join → first remote audio packet" and CPU per participant, in one Chromium
// (a context per participant, fake microphones) against the real gateway on loopback.
//   node --import tsx bench/voice.ts [--runs 5] [--sizes 2,4] [--cpu-window 5000]
// Prints a table and writes bench/results/latest.json.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../scripts/chromium';
import {
  CALL_CHANNELS,
  type CallUser,
  clickChannel,
  signIn,
  voiceDebug,
  waitForAudioFrom,
  waitForCall,
  waitUntil,
  writeCallConfig,
} from '../test/support/callHarness';
import { type GatewayProcess, startGateway } from '../test/support/gatewayProcess';
import { buildRendererForTest } from '../test/support/rendererBuild';
import { measureCpu } from './processCpu';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    sizes: { type: 'string', default: '2,4' },
    'cpu-window': { type: 'string', default: '5000' },
  },
});
const RUNS = Number(values.runs);
const SIZES = (values.sizes ?? '2,4').split(',').map(Number);
const CPU_WINDOW_MS = Number(values['cpu-window']);
const channel = CALL_CHANNELS.lounge;

// Page-side (strings: tsx would put its `__name` helper into serialised functions).
const ARM_CLICK = `(() => {
  window.__benchClickAt = null;
  const row = document.querySelector('[data-testid="channel-row-${channel}"]');
  row.addEventListener('click', () => { window.__benchClickAt = performance.now(); }, { capture: true, once: true });
})()`;
const WAIT_FIRST_PACKETS = (expected: number) => `(async () => {
  const probe = window.__miscordProbe;
  const firsts = new Map();
  const deadline = performance.now() + 30000;
  while (performance.now() < deadline && firsts.size < ${expected}) {
    for (const pc of probe.pcs) {
      if (pc.signalingState === 'closed' || firsts.has(pc)) continue;
      const report = await pc.getStats();
      let packets = 0;
      report.forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'audio') packets += r.packetsReceived || 0; });
      if (packets > 0) firsts.set(pc, performance.now());
    }
    if (firsts.size < ${expected}) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const start = window.__benchClickAt;
  const times = [...firsts.values()].map((t) => t - start).sort((a, b) => a - b);
  return { clicked: start !== null, first: times[0] ?? null, all: times.length >= ${expected} ? times[times.length - 1] : null };
})()`;

interface JoinTiming {
  readonly clicked: boolean;
  readonly first: number | null;
  readonly all: number | null;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function leaveAll(users: readonly CallUser[]): Promise<void> {
  for (const user of users) {
    if ((await user.page.getByTestId('disconnect-button').count()) > 0)
      await user.page.getByTestId('disconnect-button').click();
  }
  for (const user of users) {
    await waitUntil(
      `${user.name} out of voice`,
      () => voiceDebug(user),
      (info) => info.state.status !== 'connected' && info.peers.length === 0,
    );
  }
}

async function joinTimings(users: readonly CallUser[]): Promise<JoinTiming[]> {
  const measured = users[users.length - 1] as CallUser;
  const early = users.slice(0, -1);
  const timings: JoinTiming[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const user of early) await clickChannel(user, channel);
    await Promise.all(
      early.map((u) =>
        waitForCall(
          u,
          channel,
          early.filter((o) => o !== u),
        ),
      ),
    );
    await measured.page.evaluate(ARM_CLICK);
    await clickChannel(measured, channel);
    const timing = (await measured.page.evaluate(WAIT_FIRST_PACKETS(early.length))) as JoinTiming;
    if (!timing.clicked || timing.first === null)
      throw new Error(`run ${run}: no packet (${JSON.stringify(timing)})`);
    timings.push(timing);
    await leaveAll(users);
  }
  return timings;
}

async function cpuPerParticipant(users: readonly CallUser[], gatewayPid: number) {
  const idle = await measureCpu(process.pid, [gatewayPid], CPU_WINDOW_MS);
  for (const user of users) await clickChannel(user, channel);
  await Promise.all(
    users.map((u) =>
      waitForCall(
        u,
        channel,
        users.filter((o) => o !== u),
      ),
    ),
  );
  for (const user of users)
    await waitForAudioFrom(
      user,
      users.filter((o) => o !== user),
    );
  const inCall = await measureCpu(process.pid, [gatewayPid], CPU_WINDOW_MS);
  await leaveAll(users);
  return { idlePercent: idle, inCallPercent: inCall };
}

async function main(): Promise<void> {
  const built = join(import.meta.dirname, '../dist/renderer');
  const fresh = existsSync(join(built, 'index.html')) ? null : await buildRendererForTest();
  const webRoot = fresh ?? built;
  const configPath = await writeCallConfig();
  let gateway: GatewayProcess | undefined;
  let browser: Browser | undefined;
  const results: Array<Record<string, unknown>> = [];
  try {
    gateway = await startGateway({ webRoot, env: { MISCORD_CONFIG: configPath } });
    browser = await launchChromium();
    for (const size of SIZES) {
      const users = await Promise.all(
        Array.from({ length: size }, (_, i) =>
          signIn(browser as Browser, gateway?.url ?? '', `Bench ${i + 1}`),
        ),
      );
      const timings = await joinTimings(users);
      const cpu = await cpuPerParticipant(users, gateway.pid);
      const firsts = timings.map((t) => t.first as number);
      const alls = timings.flatMap((t) => (t.all === null ? [] : [t.all]));
      results.push({
        participants: size,
        runs: timings.length,
        firstPacketMs: {
          median: median(firsts),
          min: Math.min(...firsts),
          max: Math.max(...firsts),
          runs: firsts,
        },
        allPeersMs: { median: median(alls), runs: alls },
        cpu: {
          browserIdlePercent: cpu.idlePercent,
          browserInCallPercent: cpu.inCallPercent,
          perParticipantPercent: cpu.inCallPercent / size,
          perParticipantAboveIdlePercent: (cpu.inCallPercent - cpu.idlePercent) / size,
        },
      });
      await Promise.all(users.map((u) => u.context.close()));
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await gateway?.stop().catch(() => undefined);
    await rm(dirname(configPath), { recursive: true, force: true });
    if (fresh) await rm(fresh, { recursive: true, force: true });
  }

  const f = (n: unknown) => (typeof n === 'number' ? n.toFixed(0).padStart(6) : '     –');
  console.log('\nvoice bench — Chromium, fake microphones, real gateway on 127.0.0.1');
  console.log(
    'participants | join→first packet ms (median, min–max) | join→all peers ms | CPU/participant % (above idle)',
  );
  for (const r of results) {
    const first = r.firstPacketMs as { median: number; min: number; max: number };
    const all = r.allPeersMs as { median: number };
    const cpu = r.cpu as { perParticipantPercent: number; perParticipantAboveIdlePercent: number };
    console.log(
      `${String(r.participants).padStart(12)} | ${f(first.median)} (${f(first.min)}–${f(first.max)})          | ${f(all.median)}            | ${cpu.perParticipantPercent.toFixed(1)} (${cpu.perParticipantAboveIdlePercent.toFixed(1)})`,
    );
  }
  const two = results.find((r) => r.participants === 2)?.firstPacketMs as { median: number } | undefined;
  if (two)
    console.log(
      `target < 400 ms for 2 participants: ${two.median < 400 ? 'met' : 'NOT met'} (${two.median.toFixed(0)} ms)`,
    );
  const out = join(import.meta.dirname, 'results/latest.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), runs: RUNS, cpuWindowMs: CPU_WINDOW_MS, results }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
}

await main();
