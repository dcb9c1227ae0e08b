// npm run bench:screen — Go Live: "start share → first decoded frame at the watcher" (median of runs, in a call
// of two) and the sender's CPU and upload at 1080p30 with 0, 1 and 3 watchers in a call of four, against the
// same sender in the same call not sharing (the baseline, measured in the same run). The sender has a Chromium
// of its own, so its CPU is its process tree's; the three others share a second Chromium. Real gateway on
// loopback. On 2 cores a call of four already keeps both busy with voice alone (see bench:voice), which is
// why the first-frame time is taken with two.
//   node --import tsx bench/screen.ts [--runs 5] [--cpu-window 5000] [--preset 1080p30]
// Prints a table and writes bench/results/screen.json.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser, type BrowserServer, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, launchChromium } from '../scripts/chromium';
import {
  CALL_CHANNELS,
  type CallUser,
  clickChannel,
  signIn,
  voiceDebug,
  waitForCall,
  waitUntil,
  writeCallConfig,
} from '../test/support/callHarness';
import { type GatewayProcess, startGateway } from '../test/support/gatewayProcess';
import { buildRendererForTest } from '../test/support/rendererBuild';
import { measureTreeCpu } from './processCpu';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'cpu-window': { type: 'string', default: '5000' },
    preset: { type: 'string', default: '1080p30' },
  },
});
const RUNS = Number(values.runs);
const CPU_WINDOW_MS = Number(values['cpu-window']);
const PRESET = values.preset ?? '1080p30';
const channel = CALL_CHANNELS.lounge;
/**
 * The watchers' windows are small: with no GPU, Chromium scales every decoded frame into the page in
 * software, and three 1280×800 pages doing that would take the CPU the sender is being measured with.
 */
const VIEWER_VIEWPORT = { width: 800, height: 450 } as const;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

// Page-side, as strings (tsx would put its `__name` helper into serialised functions).
const ARM_GO_LIVE = `(() => {
  window.__benchGoLiveAt = null;
  document.querySelector('[data-testid="go-live-button"]').addEventListener(
    'click', () => { window.__benchGoLiveAt = Date.now(); }, { capture: true, once: true });
})()`;
/** On the watcher: time the first frame presented by the stream's <video> (requestVideoFrameCallback). */
const ARM_FIRST_FRAME = (sharer: string) => `(() => {
  window.__benchFirstFrameAt = null;
  window.__benchWatchAt = null;
  const hook = () => {
    const video = document.querySelector('[data-testid="stream-video-${sharer}"]');
    if (!video) return false;
    video.requestVideoFrameCallback(() => { window.__benchFirstFrameAt = Date.now(); });
    return true;
  };
  const observer = new MutationObserver(() => { if (hook()) observer.disconnect(); });
  observer.observe(document.body, { childList: true, subtree: true });
})()`;

async function goLive(sharer: CallUser): Promise<void> {
  await sharer.page.getByTestId('screen-share-button').click();
  await sharer.page.getByTestId(`preset-${PRESET}`).check();
  await sharer.page.evaluate(ARM_GO_LIVE);
  await sharer.page.getByTestId('go-live-button').click();
  await sharer.page.getByTestId('stop-share-button').waitFor({ timeout: 30_000 });
}

async function stopShare(sharer: CallUser, others: readonly CallUser[]): Promise<void> {
  await sharer.page.getByTestId('stop-share-button').click();
  for (const user of others) {
    await waitUntil(
      `${user.name}: share gone`,
      () => user.page.getByTestId(`tile-${sharer.userId}`).getAttribute('data-streaming'),
      (v) => v === 'false',
    );
  }
}

async function watch(viewer: CallUser, sharer: CallUser): Promise<void> {
  const button = viewer.page.getByTestId(`watch-stream-${sharer.userId}`);
  await button.waitFor({ timeout: 30_000 });
  await viewer.page.evaluate(() => {
    (window as unknown as { __benchWatchAt: number }).__benchWatchAt = Date.now();
  });
  await button.click();
}

/** Go Live → Ben clicks Watch as soon as it shows → Ben's first frame; `runs` times. */
async function timeToFirstFrame(sharer: CallUser, viewer: CallUser, others: readonly CallUser[]) {
  const runs: Array<{ goLiveToFrameMs: number; watchToFrameMs: number }> = [];
  for (let run = 0; run < RUNS; run++) {
    await viewer.page.evaluate(ARM_FIRST_FRAME(sharer.userId));
    await goLive(sharer);
    await watch(viewer, sharer);
    const frameAt = await waitUntil(
      `${viewer.name}: first frame (run ${run})`,
      () =>
        viewer.page.evaluate(
          () => (window as unknown as { __benchFirstFrameAt: number | null }).__benchFirstFrameAt,
        ),
      (t) => t !== null,
      30_000,
      10,
    );
    const goLiveAt = await sharer.page.evaluate(
      () => (window as unknown as { __benchGoLiveAt: number }).__benchGoLiveAt,
    );
    const watchAt = await viewer.page.evaluate(
      () => (window as unknown as { __benchWatchAt: number }).__benchWatchAt,
    );
    runs.push({
      goLiveToFrameMs: (frameAt as number) - goLiveAt,
      watchToFrameMs: (frameAt as number) - watchAt,
    });
    await stopShare(sharer, others);
  }
  return runs;
}

interface SenderLoad {
  readonly cpuPercent: number;
  /** Video bits per second over every connection. */
  readonly uploadBps: number;
  /** Frames encoded per second for each watcher, on average. */
  readonly fpsPerWatcher: number;
  /** The height each watcher's encoding is sent at now. */
  readonly heights: readonly number[];
  /** How busy the whole machine was (both cores), so a starved sender can be told from an idle one. */
  readonly machineBusyPercent: number;
}

/** Busy and total jiffies of all CPUs (/proc/stat). */
function cpuJiffies(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((sum, f) => sum + f, 0);
  return { busy: total - idle, total };
}

/** The sender's video upload, frame rate per watcher and CPU over one window. */
async function senderLoad(sharer: CallUser, senderPid: number): Promise<SenderLoad> {
  const sent = async () => {
    await sharer.page.evaluate(() =>
      (
        window as unknown as { miscord: { voice: { collectStats(): Promise<unknown> } } }
      ).miscord.voice.collectStats(),
    );
    const peers = (await voiceDebug(sharer)).screen.sharing?.peers ?? [];
    if (process.env.BENCH_VERBOSE) {
      console.log(JSON.stringify(peers));
      console.log(
        await sharer.page.evaluate(`(async () => {
          const track = miscord.voice.screen.sharing?.stream.getVideoTracks()[0]?.id;
          const out = [];
          for (const pc of window.__miscordProbe.pcs) {
            if (pc.signalingState === 'closed') continue;
            const rows = [];
            (await pc.getStats()).forEach((r) => {
              if (r.type === 'outbound-rtp' && r.kind === 'video') rows.push(['out', r.id, r.mediaSourceId, r.bytesSent, r.active]);
              if (r.type === 'media-source' && r.kind === 'video') rows.push(['src', r.id, r.trackIdentifier === track ? 'CURRENT' : r.trackIdentifier]);
            });
            out.push({ t: pc.getTransceivers().map((t) => [t.mid, t.receiver.track.kind, t.direction, t.currentDirection, t.sender.track?.id === track]), rows });
          }
          return JSON.stringify(out);
        })()`),
      );
    }
    return {
      bytes: peers.reduce((sum, p) => sum + (p.sent?.bytes ?? 0), 0),
      frames: peers.reduce((sum, p) => sum + (p.sent?.frames ?? 0), 0),
      watched: peers.filter((p) => p.watching).length,
      heights: peers.flatMap((p) => (p.watching && p.sent?.frameHeight ? [p.sent.frameHeight] : [])),
    };
  };
  const before = await sent();
  const startedAt = Date.now();
  const machineBefore = cpuJiffies();
  const cpuPercent = await measureTreeCpu(senderPid, CPU_WINDOW_MS);
  const machineAfter = cpuJiffies();
  const after = await sent();
  const seconds = (Date.now() - startedAt) / 1000;
  return {
    cpuPercent,
    uploadBps: ((after.bytes - before.bytes) * 8) / seconds,
    fpsPerWatcher: after.watched > 0 ? (after.frames - before.frames) / seconds / after.watched : 0,
    heights: after.heights,
    machineBusyPercent:
      (100 * (machineAfter.busy - machineBefore.busy)) /
      Math.max(1, machineAfter.total - machineBefore.total),
  };
}

const SENDER_STATES = ['baseline', 'none', 'one', 'three'] as const;
type SenderState = (typeof SENDER_STATES)[number];
type SenderStates = Partial<Record<SenderState, SenderLoad>>;
const ROUNDS = 3;

/** One round: in the call not sharing, then live with 0, 1 and (with 3 others) 3 watching; then stop. */
async function senderStates(
  ann: CallUser,
  others: readonly CallUser[],
  senderPid: number,
): Promise<SenderStates> {
  const baseline = await senderLoad(ann, senderPid);
  await goLive(ann);
  await waitUntil(
    'everyone sees the share',
    async () => {
      const n = await Promise.all(
        others.map((o) => o.page.getByTestId(`watch-stream-${ann.userId}`).count()),
      );
      return n.every((c) => c === 1);
    },
    (ok) => ok,
  );
  const none = await senderLoad(ann, senderPid);
  const watchers = async (n: number) => {
    await waitUntil(
      `Ann sees ${n} watching`,
      () => ann.page.getByTestId('share-watchers').textContent(),
      (t) => t === `${n} watching`,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000)); // bandwidth estimation ramps up
  };
  const [first, ...rest] = others as [CallUser, ...CallUser[]];
  await watch(first, ann);
  await watchers(1);
  const one = await senderLoad(ann, senderPid);
  let three: SenderLoad | undefined;
  if (rest.length >= 2) {
    for (const viewer of rest) await watch(viewer, ann);
    await watchers(1 + rest.length);
    three = await senderLoad(ann, senderPid);
  }
  captured = (await voiceDebug(ann)).screen.sharing?.capture ?? captured;
  await stopShare(ann, others);
  return three ? { baseline, none, one, three } : { baseline, none, one };
}

/** ROUNDS rounds of `senderStates`, then the median of each state. */
async function medianStates(ann: CallUser, others: readonly CallUser[], senderPid: number) {
  const rounds: SenderStates[] = [];
  for (let round = 0; round < ROUNDS; round++) rounds.push(await senderStates(ann, others, senderPid));
  const states: SenderStates = {};
  for (const state of SENDER_STATES) {
    const loads = rounds.flatMap((r) => (r[state] ? [r[state]] : []));
    if (loads.length > 0) states[state] = medianLoad(loads);
  }
  return { states, rounds };
}

/** The capture size seen in the last round (the share is stopped after each round). */
let captured: { width: number | null; height: number | null } | undefined;

/** The per-field median of several rounds of one state. */
function medianLoad(loads: readonly SenderLoad[]): SenderLoad {
  const m = (pick: (l: SenderLoad) => number) => median(loads.map(pick));
  return {
    cpuPercent: m((l) => l.cpuPercent),
    uploadBps: m((l) => l.uploadBps),
    fpsPerWatcher: m((l) => l.fpsPerWatcher),
    heights: loads[Math.floor(loads.length / 2)]?.heights ?? [],
    machineBusyPercent: m((l) => l.machineBusyPercent),
  };
}

async function main(): Promise<void> {
  const built = join(import.meta.dirname, '../dist/renderer');
  const fresh = existsSync(join(built, 'index.html')) ? null : await buildRendererForTest();
  const webRoot = fresh ?? built;
  const configPath = await writeCallConfig();
  let gateway: GatewayProcess | undefined;
  let server: BrowserServer | undefined;
  let sender: Browser | undefined;
  let viewers: Browser | undefined;
  try {
    gateway = await startGateway({ webRoot, env: { MISCORD_CONFIG: configPath } });
    server = await chromium.launchServer({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    const senderPid = server.process().pid as number;
    sender = await chromium.connect(server.wsEndpoint());
    viewers = await launchChromium();
    const url = gateway.url;
    const ann = await signIn(sender, url, 'Ann');
    const [ben, cat, dan] = (await Promise.all(
      ['Ben', 'Cat', 'Dan'].map((n) => signIn(viewers as Browser, url, n, VIEWER_VIEWPORT)),
    )) as [CallUser, CallUser, CallUser];
    for (const user of [ann, ben]) await clickChannel(user, channel);
    await Promise.all([waitForCall(ann, channel, [ben]), waitForCall(ben, channel, [ann])]);
    const firstFrames = await timeToFirstFrame(ann, ben, [ben]);
    const callOfTwo = await medianStates(ann, [ben], senderPid);

    const everyone = [ann, ben, cat, dan];
    for (const user of [cat, dan]) await clickChannel(user, channel);
    await Promise.all(
      everyone.map((u) =>
        waitForCall(
          u,
          channel,
          everyone.filter((o) => o !== u),
        ),
      ),
    );
    const callOfFour = await medianStates(ann, [ben, cat, dan], senderPid);
    const capture = captured;
    const goLiveMs = firstFrames.map((r) => r.goLiveToFrameMs);
    const watchLatency = firstFrames.map((r) => r.watchToFrameMs);
    const results = {
      at: new Date().toISOString(),
      preset: PRESET,
      capture,
      runs: RUNS,
      cpuWindowMs: CPU_WINDOW_MS,
      firstFrame: {
        goLiveToFrameMs: {
          median: median(goLiveMs),
          min: Math.min(...goLiveMs),
          max: Math.max(...goLiveMs),
          runs: goLive,
        },
        watchToFrameMs: { median: median(watchLatency), runs: watchLatency },
      },
      sender: { callOfTwo, callOfFour },
    };

    const pct = (n: number) => `${n.toFixed(0).padStart(4)} %`;
    const mbps = (n: number) => `${(n / 1e6).toFixed(2).padStart(6)} Mbps`;
    const ms = (n: number) => n.toFixed(0);
    console.log(`\nscreen bench — ${PRESET}, capture ${capture?.width}×${capture?.height}, ${RUNS} runs`);
    console.log(
      `call of 2 — start share → first frame at the watcher: median ${ms(median(goLiveMs))} ms ` +
        `(${ms(Math.min(...goLiveMs))}–${ms(Math.max(...goLiveMs))}); of which watch click → frame ` +
        `${ms(median(watchLatency))} ms`,
    );
    const labels: Record<SenderState, string> = {
      baseline: 'in call, not sharing (baseline)',
      none: 'live, nobody watching',
      one: 'live, 1 watching',
      three: 'live, 3 watching',
    };
    for (const [title, { states }] of [
      ['call of 2', callOfTwo],
      ['call of 4', callOfFour],
    ] as const) {
      const base = states.baseline?.cpuPercent ?? Number.NaN;
      console.log(`${title} — the sender, median of ${ROUNDS} rounds:`);
      console.log(
        'state                           | CPU (% of a core) | vs not sharing | video upload | fps per watcher, sent heights | machine busy',
      );
      for (const state of SENDER_STATES) {
        const m = states[state];
        if (!m) continue;
        console.log(
          `${labels[state].padEnd(32)}| ${pct(m.cpuPercent).padEnd(18)}| ${`${(m.cpuPercent / base).toFixed(2)}×`.padEnd(15)}| ${mbps(m.uploadBps)}  | ` +
            `${`${m.fpsPerWatcher.toFixed(1)} ${m.heights.map((h) => `${h}p`).join(' ')}`.padEnd(30)}| ${m.machineBusyPercent.toFixed(0)} %`,
        );
      }
    }
    const one = callOfFour.states.one?.uploadBps ?? 0;
    const three = callOfFour.states.three?.uploadBps ?? 0;
    console.log(
      `call of 4, 1 of 3 watching: upload not sent to the 2 who do not watch ≈ ${mbps(Math.max(0, three - one))}`,
    );
    const out = join(import.meta.dirname, 'results/screen.json');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${out}`);
  } finally {
    await viewers?.close().catch(() => undefined);
    await sender?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await gateway?.stop().catch(() => undefined);
    await rm(dirname(configPath), { recursive: true, force: true });
    if (fresh) await rm(fresh, { recursive: true, force: true });
  }
}

await main();
