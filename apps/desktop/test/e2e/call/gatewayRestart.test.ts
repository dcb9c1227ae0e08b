import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { startRedisServer, type TestRedisServer } from '@miscord/registry/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from '../../../scripts/chromium';
import { longestStall, recordAudio } from '../../support/audioTimeline';
import {
  CALL_CHANNELS,
  type CallUser,
  clickChannel,
  gatewayDebug,
  idsOf,
  SCREENSHOTS,
  signIn,
  sortedSidebar,
  voiceDebug,
  waitForAudioFrom,
  waitForCall,
  waitUntil,
  writeCallConfig,
} from '../../support/callHarness';
import { type GatewayProcess, startGateway } from '../../support/gatewayProcess';
import { buildRendererForTest } from '../../support/rendererBuild';
import { leftovers } from '../../support/rtcProbe';

// The gateway is SIGKILLed mid-call and a new one started on the same port. The mesh is peer-to-peer, so
// the audio between the members must not stop and the RTCPeerConnections must be the same ones; every
// client shows Reconnecting, gets back in by itself (its session is gone: the memory registry died with
// the process, and a killed node never wrote its replays to Redis — so RESUME is refused and the client
// re-identifies and rejoins its channel), and every member list, the observer's included, reconverges.
// A drained node (SIGTERM) in Redis mode writes its sessions' replays first: there the clients resume.
// CALL_OUTAGE_MS=<ms> keeps the gateway down that long before the restart (e.g. 62000: longer than the
// resume window, so the clients' reconnect backoff reaches its 32 s step).

vi.setConfig({ testTimeout: 150_000, hookTimeout: 180_000 });
const channel = CALL_CHANNELS.lounge;
let webRoot = '';
let configPath = '';
let browser: Browser | undefined;

beforeAll(async () => {
  [webRoot, configPath] = await Promise.all([buildRendererForTest(), writeCallConfig()]);
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
  if (configPath) await rm(dirname(configPath), { recursive: true, force: true });
}, 60_000);

/** How the old gateway goes away: SIGKILL (a crash), or SIGTERM (a drain: replays written, RECONNECT sent). */
type Stop = 'killed' | 'drained';

/** Ask the gateway to drain (SIGTERM) and resolve once its process is gone. */
async function drain(gateway: GatewayProcess): Promise<void> {
  process.kill(gateway.pid, 'SIGTERM');
  await waitUntil(
    'the drained gateway to exit',
    async () => {
      try {
        process.kill(gateway.pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    (gone) => gone,
    30_000,
    50,
  );
}

const cases: ReadonlyArray<readonly ['memory' | 'redis', Stop]> = [
  ['memory', 'killed'],
  ['redis', 'killed'],
  ['redis', 'drained'],
];

describe.each(cases)('gateway restarted mid-call (%s registry, %s)', (mode, stop) => {
  const secret = randomBytes(24).toString('hex');
  let redis: TestRedisServer | undefined;
  let gateway: GatewayProcess | undefined;
  let members: CallUser[] = [];
  let observer: CallUser;

  const start = (port: string) =>
    startGateway({
      webRoot,
      env: {
        PORT: port,
        MISCORD_SECRET: secret,
        MISCORD_CONFIG: configPath,
        ...(redis ? { REDIS_URL: redis.url } : {}),
      },
    });

  beforeAll(async () => {
    if (mode === 'redis') redis = await startRedisServer();
    gateway = await start('0');
    const url = gateway.url;
    const signedIn = await Promise.all([
      signIn(browser as Browser, url, `Ada ${mode} ${stop}`),
      signIn(browser as Browser, url, `Bo ${mode} ${stop}`),
      signIn(browser as Browser, url, `Cy ${mode} ${stop}`),
      signIn(browser as Browser, url, `Obi ${mode} ${stop}`),
    ]);
    observer = signedIn[3];
    members = signedIn.slice(0, 3);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...members, observer].map((u) => u?.context.close().catch(() => undefined)));
    await gateway?.stop().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
  }, 60_000);

  const othersOf = (user: CallUser) => members.filter((m) => m !== user);

  it('three members in a call, a fourth only watching the list', async () => {
    for (const user of members) await clickChannel(user, channel);
    await Promise.all(members.map((u) => waitForCall(u, channel, othersOf(u))));
    for (const user of members) await waitForAudioFrom(user, othersOf(user));
    for (const user of [...members, observer]) {
      await waitUntil(
        `${user.name}'s list`,
        () => sortedSidebar(user, channel),
        (s) => s === idsOf(members),
      );
    }
    expect((await voiceDebug(observer)).state.status).toBe('idle');
  });

  it('audio never stops, peers are kept, everyone reconnects and the lists reconverge', async () => {
    const before = await Promise.all(members.map((u) => gatewayDebug(u)));
    const recorder = recordAudio(members, 250);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a baseline before the kill
    const port = new URL(gateway?.url ?? '').port;
    const stopped = gateway;
    const killedAt = Date.now();
    if (stop === 'killed')
      await gateway?.stop(); // SIGKILL: no drain, no goodbye
    else if (gateway) await drain(gateway);
    const outageMs = Number(process.env.CALL_OUTAGE_MS ?? '0');
    const restarting = new Promise((resolve) => setTimeout(resolve, outageMs))
      .then(() => start(port))
      .then((g) => {
        gateway = g;
        return Date.now() - killedAt;
      });
    // Everyone shows Reconnecting while the gateway is down (the badge stays so until they are back).
    const sawReconnecting = Promise.all(
      [...members, observer].map((user) =>
        waitUntil(
          `${user.name} showing Reconnecting`,
          () => user.page.getByTestId('connection-badge').getAttribute('data-status'),
          (status) => status === 'reconnecting',
          20_000,
          50,
        ),
      ),
    );
    await sawReconnecting;
    if (mode === 'memory' && stop === 'killed') {
      await members[0]?.page.screenshot({ path: join(SCREENSHOTS, 'call-reconnecting.png') });
    }
    const restartedInMs = await restarting;

    await Promise.all(members.map((u) => waitForCall(u, channel, othersOf(u))));
    for (const user of [...members, observer]) {
      await waitUntil(
        `${user.name} back online`,
        () => user.page.getByTestId('connection-badge').getAttribute('data-status'),
        (status) => status === (user === observer ? 'online' : 'voiceConnected'),
        60_000,
      );
    }
    // Lists on every screen: the three members once each — no ghost of a dead session, no duplicate.
    for (const user of [...members, observer]) {
      await waitUntil(
        `${user.name}'s list reconverged`,
        () => sortedSidebar(user, channel),
        (s) => s === idsOf(members),
        30_000,
      );
      const info = await voiceDebug(user);
      if (user !== observer)
        expect(idsOf(info.members.map((m) => ({ userId: m.userId }) as CallUser))).toBe(idsOf(members));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // audio after recovery too
    const timelines = await recorder.stop();
    expect(recorder.errors).toEqual([]);

    const after = await Promise.all(members.map((u) => gatewayDebug(u)));
    const attempts = members.map((u, i) => `${u.name}: ${after[i]?.attempts} attempts`).join(', ');
    for (const timeline of timelines) {
      for (const speaker of othersOf(timeline.listener)) {
        const bytes = longestStall(timeline, speaker.userId, 'bytes');
        const energy = longestStall(timeline, speaker.userId, 'energy');
        const where = `${speaker.name} → ${timeline.listener.name} (${bytes.samples} samples over ${
          Date.now() - killedAt
        } ms, gateway back after ${restartedInMs} ms; ${attempts})`;
        expect(bytes.stallMs, `bytes stalled: ${where}`).toBeLessThan(1_000);
        expect(energy.stallMs, `energy stalled: ${where}`).toBeLessThan(1_500);
        expect(bytes.pcs, `one RTCPeerConnection throughout: ${where}`).toHaveLength(1);
      }
      const left = await leftovers(timeline.listener.page);
      expect(left.peerConnectionsCreated, `${timeline.listener.name} built no new peer`).toBe(2);
      expect(left.peerConnectionsOpen).toBe(2);
    }
    // What both nodes said about the sessions (why a RESUME was refused, say), for a failure's message.
    const gatewaySaid = [stopped, gateway]
      .flatMap((g) => g?.output().split('\n') ?? [])
      .filter((line) => /resum|replay|draining/i.test(line))
      .join('\n');
    after.forEach((debug, i) => {
      expect(debug.state, `${members[i]?.name}; the gateways logged:\n${gatewaySaid}`).toMatchObject({
        status: 'ready',
        resumed: stop === 'drained',
      });
      expect(debug.socketsOpened).toBeGreaterThan(before[i]?.socketsOpened ?? 0);
      // Killed: the sessions died with the node (RESUME refused), every member re-identified on a new one.
      // Drained: the node wrote each session's replay to Redis, the restarted node resumed the same session.
      if (stop === 'killed') expect(debug.sessionId).not.toBe(before[i]?.sessionId);
      else expect(debug.sessionId).toBe(before[i]?.sessionId);
    });
  });

  it('logged no page errors', () => {
    expect([...members, observer].flatMap((u) => u.problems.filter((p) => p.includes('page error')))).toEqual(
      [],
    );
  });
});
