import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CALL_CHANNELS,
  type CallUser,
  clickChannel,
  type Diagnosis,
  diagnose,
  idsOf,
  sortedSidebar,
  voiceDebug,
  waitForAudioFrom,
  waitForCall,
  waitUntil,
} from '../../support/callHarness';
import { setUpCall } from '../../support/callStack';
import { leftovers, stopMicrophone, stopSendingTo } from '../../support/rtcProbe';

// The gateway in Redis mode (a throwaway redis-server): a three-person call, moving between channels, a
// channel that is full, a fourth person who only watches the lists, and diagnoseAudioIssues() on a dead
// peer and a revoked microphone.

vi.setConfig({ testTimeout: 90_000, hookTimeout: 180_000 });

const { lounge, duo } = CALL_CHANNELS;
const stack = setUpCall({ names: ['Dee', 'Eli', 'Fay', 'Gus'], redis: true });
let dee: CallUser;
let eli: CallUser;
let fay: CallUser;
let gus: CallUser;

beforeAll(async () => {
  [dee, eli, fay, gus] = stack.users() as [CallUser, CallUser, CallUser, CallUser];
}, 180_000);

const lists = (user: CallUser) =>
  Promise.all([sortedSidebar(user, lounge), sortedSidebar(user, duo)]).then(([l, d]) => `${l} ${d}`);
const expectLists = async (inLounge: CallUser[], inDuo: CallUser[]) => {
  for (const user of [dee, eli, fay, gus]) {
    await waitUntil(
      `${user.name}'s lists`,
      () => lists(user),
      (s) => s === `${idsOf(inLounge)} ${idsOf(inDuo)}`,
    );
  }
};

const finding = (d: Diagnosis, check: string, userId?: string) =>
  d.findings.find((f) => f.check === check && (userId === undefined || f.userId === userId));

describe('channels in real Chromium (Redis registry)', () => {
  it('three join the lounge and hear each other; Gus, only subscribed, sees them listed', async () => {
    for (const user of [dee, eli, fay]) await clickChannel(user, lounge);
    const members = [dee, eli, fay];
    await Promise.all(
      members.map((u) =>
        waitForCall(
          u,
          lounge,
          members.filter((m) => m !== u),
        ),
      ),
    );
    for (const user of members)
      await waitForAudioFrom(
        user,
        members.filter((m) => m !== user),
      );
    await expectLists([dee, eli, fay], []);
    expect((await voiceDebug(gus)).state.status).toBe('idle');
  });

  it('moving: Dee clicks Duo, the lounge hangs up on her, everyone sees her move', async () => {
    await clickChannel(dee, duo);
    await waitForCall(dee, duo, []);
    await Promise.all([waitForCall(eli, lounge, [fay]), waitForCall(fay, lounge, [eli])]);
    await expectLists([eli, fay], [dee]);
    const left = await leftovers(dee.page);
    expect(left).toMatchObject({ peerConnectionsCreated: 2, peerConnectionsOpen: 0, liveRemoteTracks: 0 });
    expect(left.liveLocalTracks).toBe(1); // still in voice: the microphone stays open
    expect(left.liveWebAudioTracks).toBe(1); // and the one track every peer got from it (after the gain)
    await waitForAudioFrom(eli, [fay]);
  });

  it('channel full: with Duo at 2/2 its row is disabled for Fay and a forced join is refused', async () => {
    await clickChannel(eli, duo);
    await Promise.all([waitForCall(dee, duo, [eli]), waitForCall(eli, duo, [dee])]);
    await waitForAudioFrom(dee, [eli]);
    await expectLists([fay], [dee, eli]);
    const row = fay.page.getByTestId(`channel-row-${duo}`);
    expect(await row.isDisabled()).toBe(true);
    expect(await row.getAttribute('aria-label')).toContain(', full');
    expect(await fay.page.getByTestId(`channel-${duo}`).getByTestId('channel-occupancy').textContent()).toBe(
      '2/2',
    );
    // Past the UI (e.g. a stale list): the gateway refuses, the client ends up out of voice, nobody moved.
    await fay.page.getByTestId('disconnect-button').click();
    await expectLists([], [dee, eli]);
    const refusal = await fay.page.evaluate(() =>
      (window as unknown as { miscord: { voice: { join(id: string): Promise<void> } } }).miscord.voice
        .join('duo')
        .then(
          () => 'joined',
          (error: Error) => error.message,
        ),
    );
    expect(refusal).toContain('CHANNEL_FULL');
    expect((await voiceDebug(fay)).state.status).toBe('left');
    await expectLists([], [dee, eli]);
    expect(await leftovers(fay.page)).toMatchObject({
      peerConnectionsOpen: 0,
      liveLocalTracks: 0,
      liveWebAudioTracks: 0,
    });
  });

  it('diagnoseAudioIssues() names a peer whose audio died', async () => {
    const healthy = await diagnose(dee);
    expect(finding(healthy, 'peer-connected', eli.userId)?.severity).toBe('ok');
    expect(await stopSendingTo(eli.page, dee.userId)).toBe(true);
    // inbound-audio compares the last two stats samples: sample again after the audio stopped.
    const diagnosis = await waitUntil(
      'an inbound-audio warning for Eli on Dee',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return diagnose(dee);
      },
      (d) => finding(d, 'inbound-audio', eli.userId)?.severity === 'warning',
      30_000,
      0,
    );
    expect(diagnosis.ok).toBe(false);
    expect(finding(diagnosis, 'peer-connected', eli.userId)?.severity).toBe('ok'); // the link itself is up
    expect(finding(diagnosis, 'inbound-audio', eli.userId)?.message).toContain('No audio packets arriving');
  });

  it('diagnoseAudioIssues() reports a revoked microphone', async () => {
    expect(finding(await diagnose(eli), 'microphone-track')?.severity).toBe('ok');
    expect(await stopMicrophone(eli.page)).toBe(1);
    await eli.context.clearPermissions();
    const diagnosis = await diagnose(eli);
    expect(diagnosis.ok).toBe(false);
    expect(finding(diagnosis, 'microphone-track')).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('ended'),
    });
    expect((await voiceDebug(eli)).microphone.trackState).toBe('ended');
  });

  it('logged no page errors', () => {
    expect([dee, eli, fay, gus].flatMap((u) => u.problems.filter((p) => p.includes('page error')))).toEqual(
      [],
    );
  });
});
