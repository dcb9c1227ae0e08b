/**
 * VoiceSession in real Chromium (fake microphone), two users in two browser contexts, over a real
 * socket to the protocol-speaking FakeGateway: the mesh connects without glare, audio flows and is
 * decoded, mute and speaking reach the other side, a gateway drop keeps the peer, and leave leaves
 * nothing behind.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GatewayConnection } from '../../src/gateway/GatewayConnection';
import type { VoiceSession } from '../../src/voice/VoiceSession';
import { waitFor } from '../helpers/FakeGateway';
import { type VoiceTestGlobals, voicePages } from '../helpers/voicePages';

declare const miscord: { voice: VoiceSession; gateway: GatewayConnection };
declare const miscordTest: VoiceTestGlobals;

const { openUser, poll, hear, audible, gateway } = voicePages();

describe('VoiceSession in Chromium', () => {
  let alice: Page;
  let bob: Page;

  it('two users join, exactly one side offers, and the peer connects', async () => {
    alice = await openUser('token-alice');
    bob = await openUser('token-bob');
    await poll(alice, () => miscord.voice.peers()[0]?.status === 'connected', 'alice connected to bob');
    await poll(bob, () => miscord.voice.peers()[0]?.status === 'connected', 'bob connected to alice');
    const a = await alice.evaluate(() => miscord.voice.peers());
    const b = await bob.evaluate(() => miscord.voice.peers());
    expect(a.map((p) => [p.userId, p.initiator])).toEqual([['bob', true]]);
    expect(b.map((p) => [p.userId, p.initiator])).toEqual([['alice', false]]);
    expect(await alice.evaluate(() => miscord.voice.state.status)).toBe('connected');
  }, 60_000);

  it('audio from the fake microphone is decoded and heard through Web Audio, speaking reaches the other side', async () => {
    await waitFor(() => audible(bob, 'alice'), 'alice heard at bob', 20_000);
    await waitFor(() => audible(alice, 'bob'), 'bob heard at alice', 20_000);
    await waitFor(
      () => gateway().speaking.some((s) => s.userId === 'alice' && s.speaking === 1),
      'SPEAKING from alice',
    );
    await poll(bob, () => miscordTest.events.includes('speaking alice true'), 'bob sees alice speaking');
    const elements = await bob.evaluate(
      () => document.querySelectorAll('audio[data-miscord^="miscord-remote-"]').length,
    );
    expect(elements).toBe(1);
    const diagnosis = await bob.evaluate(() => miscord.voice.diagnoseAudioIssues());
    expect(diagnosis.findings.filter((f) => f.severity === 'error')).toEqual([]);
  }, 60_000);

  it('devtools logging prints 🎙️ audio data and 📊 stats lines, and stops when switched off', async () => {
    const lines: string[] = [];
    const listener = (m: { text(): string }) => lines.push(m.text());
    bob.on('console', listener);
    await bob.evaluate(() => {
      miscord.voice.enableAudioDataLogging(true);
      miscord.voice.enableStatsLogging(true, 500);
    });
    await waitFor(
      () => lines.some((l) => l.startsWith('🎙️ alice')) && lines.some((l) => l.startsWith('📊 alice · RTT')),
      'log lines',
    );
    const stats = lines.find((l) => l.startsWith('📊 alice · RTT')) ?? '';
    expect(stats).toMatch(/opus · host\/host udp$/);
    expect(lines.find((l) => l.startsWith('🎙️ alice'))).toMatch(/recv \d+ B \/ \d+ pkts/);
    await bob.evaluate(() => {
      miscord.voice.enableAudioDataLogging(false);
      miscord.voice.enableStatsLogging(false);
    });
    const count = lines.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(lines.length).toBe(count);
    bob.off('console', listener);
  }, 60_000);

  it('self mute silences the track and is announced in VOICE_STATE', async () => {
    await alice.evaluate(() => miscord.voice.setSelfMute(true));
    await poll(
      bob,
      () => miscord.gateway.voiceStates.get('alice')?.selfMute === true,
      'bob sees alice muted',
    );
    expect(await alice.evaluate(() => miscord.voice.getDebugInfo().microphone.trackEnabled)).toBe(false);
    await waitFor(async () => (await hear(bob, 'alice')).level < 0.005, 'alice silent at bob', 20_000);
    await alice.evaluate(() => miscord.voice.setSelfMute(false));
    await poll(
      bob,
      () => miscord.gateway.voiceStates.get('alice')?.selfMute === false,
      'bob sees alice unmuted',
    );
    await waitFor(() => audible(bob, 'alice'), 'alice audible again', 20_000);
  }, 60_000);

  it('input volume scales what the other side decodes: 0 % is silence, 200 % is louder than 100 %', async () => {
    const sent = () =>
      alice.evaluate(() => {
        const peer = miscord.voice.getDebugInfo().peers[0];
        return { tracks: peer?.localTracks ?? [], gain: miscord.voice.getDebugInfo().microphone.inputGain };
      });
    const before = await sent();
    expect(before).toMatchObject({ tracks: [{ kind: 'audio', readyState: 'live', enabled: true }], gain: 1 });
    let atFull = 0;
    for (let i = 0; i < 3; i++) atFull = Math.max(atFull, (await hear(bob, 'alice')).level);
    expect(atFull).toBeGreaterThan(0.05);

    await alice.evaluate(() => miscord.voice.setInputVolume(0));
    expect(await alice.evaluate(() => miscord.voice.getDebugInfo().microphone)).toMatchObject({
      inputVolume: 0,
      inputGain: 0,
      trackEnabled: true, // not muted: the gain silences it
    });
    await waitFor(
      async () => {
        const h = await hear(bob, 'alice');
        return h.level < 0.005 && h.bytes[1] > h.bytes[0];
      },
      'alice silent at bob while packets keep coming',
      20_000,
    );
    // Speaking detection reads the signal after the gain: no level, so no speaking ring.
    await poll(alice, () => miscord.voice.getDebugInfo().microphone.lastLevel === 0, 'alice meter at 0');

    await alice.evaluate(() => miscord.voice.setInputVolume(200));
    expect(await alice.evaluate(() => miscord.voice.getDebugInfo().microphone.inputGain)).toBe(2);
    // Not 2×: the fake microphone's beep is loud (RMS ≈ 0.44 at 100 %), so at 200 % its peaks clip at full
    // scale before encoding; measured ≈ 0.63, i.e. ≈ 1.45×.
    await waitFor(
      async () => (await hear(bob, 'alice')).level > atFull * 1.2,
      `alice louder at 200 % than at 100 % (${atFull.toFixed(3)})`,
      20_000,
    );
    await alice.evaluate(() => miscord.voice.setInputVolume(100));
    expect(await sent()).toEqual(before); // the same live track all along: the gain is in front of it
    expect(await alice.evaluate(() => miscord.voice.settings.inputVolume)).toBe(100);
  }, 60_000);

  it('switching the input device or its processing keeps the live peer and its track (no renegotiation)', async () => {
    const devices = await bob.evaluate(async () =>
      (await miscord.voice.listDevices()).inputs.map((d) => d.deviceId),
    );
    const other = devices.find((id) => id !== 'default');
    expect(other).toBeDefined();
    const signalsBefore = gateway().signalsRelayed;
    const sentTracks = () => bob.evaluate(() => miscord.voice.getDebugInfo().peers[0]?.localTracks);
    const sentBefore = await sentTracks();
    await bob.evaluate((id) => miscord.voice.setInputDevice(id as string), other);
    const mic = await bob.evaluate(() => miscord.voice.getDebugInfo().microphone);
    expect(mic.deviceId).toBe(other);
    expect(mic.trackState).toBe('live');
    await bob.evaluate(() => miscord.voice.setAudioProcessing({ noiseSuppression: false }));
    expect(
      await bob.evaluate(() => miscord.voice.getDebugInfo().microphone.processing.noiseSuppression),
    ).toBe(false);
    await waitFor(() => audible(alice, 'bob'), 'bob heard on the new device', 20_000);
    expect(await bob.evaluate(() => miscord.voice.peers().map((p) => [p.userId, p.status]))).toEqual([
      ['alice', 'connected'],
    ]);
    expect(gateway().signalsRelayed).toBe(signalsBefore); // no offer/answer: the sent track never changed
    expect(await sentTracks()).toEqual(sentBefore); // the same live track: the new device is behind the gain
    expect(sentBefore?.map((t) => t.readyState)).toEqual(['live']);
    await bob.evaluate(() => miscord.voice.setInputDevice('default'));
  }, 60_000);

  it('a gateway drop is resumed without touching the peer', async () => {
    const before = await alice.evaluate(() => miscord.voice.getDebugInfo().peers.map((p) => p.userId));
    const aliceConn = gateway()
      .connections.filter((c) => c.session?.userId === 'alice')
      .at(-1);
    aliceConn?.socket.terminate();
    await poll(alice, () => miscordTest.events.includes('voice interrupted'), 'voice interrupted');
    await poll(
      alice,
      () => miscord.gateway.state.status === 'ready' && miscord.voice.state.status === 'connected',
      'resumed',
    );
    expect(await alice.evaluate(() => miscord.gateway.getDebugInfo().state)).toMatchObject({ resumed: true });
    expect(await alice.evaluate(() => miscord.voice.peers().map((p) => [p.userId, p.status]))).toEqual([
      ['bob', 'connected'],
    ]);
    expect(before).toEqual(['bob']);
    await waitFor(() => audible(bob, 'alice'), 'audio still flowing', 20_000);
  }, 60_000);

  it('a lost session (4009) re-identifies, rejoins the channel and keeps the peer', async () => {
    const firstSession = await alice.evaluate(() => miscord.gateway.sessionId);
    const mark = await alice.evaluate(() => miscordTest.events.length);
    const aliceConn = gateway()
      .connections.filter((c) => c.session?.userId === 'alice')
      .at(-1);
    aliceConn?.socket.close(4009, 'session timed out');
    await waitFor(
      () =>
        alice.evaluate(
          (first) =>
            miscord.gateway.sessionId !== first &&
            miscord.gateway.state.status === 'ready' &&
            miscord.voice.state.status === 'connected',
          firstSession,
        ),
      'rejoined with a new session',
      20_000,
    );
    const after = await alice.evaluate(
      (m) => ({ session: miscord.gateway.sessionId, events: miscordTest.events.slice(m) }),
      mark,
    );
    expect(after.session).not.toBe(firstSession);
    expect(after.events).toContain('voice interrupted');
    expect(after.events.filter((e) => e.startsWith('peers [') && !e.includes('bob:connected'))).toEqual([]);
    const ops = gateway().latest.received.map((m) => m.op);
    expect(ops).toContain(2); // IDENTIFY
    expect(ops).toContain(4); // VOICE_STATE_UPDATE re-sent for the channel
    expect(gateway().voiceStates.get('alice')).toMatchObject({
      channelId: 'lobby',
      sessionId: after.session,
    });
    expect(await bob.evaluate(() => miscord.voice.peers().map((p) => [p.userId, p.status]))).toEqual([
      ['alice', 'connected'],
    ]);
    await waitFor(() => audible(bob, 'alice'), 'audio still flowing after re-identify', 20_000);
  }, 60_000);

  it('deafen zeroes every remote gain and mutes the mic; per-user volume and local mute set the gain', async () => {
    await bob.evaluate(() => miscord.voice.setSelfDeaf(true));
    await poll(
      alice,
      () => miscord.gateway.voiceStates.get('bob')?.selfDeaf === true,
      'alice sees bob deafened',
    );
    expect(await alice.evaluate(() => miscord.gateway.voiceStates.get('bob')?.selfMute)).toBe(true);
    expect(await bob.evaluate(() => miscord.voice.getDebugInfo().microphone.trackEnabled)).toBe(false);
    expect(await bob.evaluate(() => miscord.voice.getDebugInfo().peers[0]?.outputGain)).toBe(0);
    await waitFor(async () => (await hear(alice, 'bob')).level < 0.005, 'bob silent at alice', 20_000);
    await bob.evaluate(() => miscord.voice.setSelfDeaf(false));
    expect(await bob.evaluate(() => miscord.voice.getDebugInfo().peers[0]?.outputGain)).toBe(1);
    await poll(
      alice,
      () => miscord.gateway.voiceStates.get('bob')?.selfDeaf === false,
      'alice sees bob undeafened',
    );
    expect(await bob.evaluate(() => miscord.voice.getDebugInfo().microphone.trackEnabled)).toBe(true);
    const gains = await bob.evaluate(() => {
      const gain = () => miscord.voice.getDebugInfo().peers[0]?.outputGain;
      miscord.voice.setUserVolume('alice', 150);
      const loud = gain();
      miscord.voice.setUserMuted('alice', true);
      const muted = gain();
      miscord.voice.setUserMuted('alice', false);
      miscord.voice.setUserVolume('alice', 100);
      return [loud, muted, gain()];
    });
    expect(gains).toEqual([1.5, 0, 1]);
  }, 60_000);

  it('leave destroys every peer, stops the mic, removes elements and never rejoins by itself', async () => {
    await alice.evaluate(() => miscord.voice.leave());
    await poll(bob, () => miscord.voice.peers().length === 0, 'bob dropped alice');
    const left = await alice.evaluate(() => ({
      state: miscord.voice.state.status,
      peers: miscord.voice.peers().length,
      elements: document.querySelectorAll('audio').length,
      track: miscord.voice.getDebugInfo().microphone.trackState,
      inputGain: miscord.voice.getDebugInfo().microphone.inputGain,
    }));
    expect(left).toEqual({ state: 'left', peers: 0, elements: 0, track: null, inputGain: null });
    const updates = () =>
      gateway()
        .connections.filter((c) => c.session?.userId === 'alice')
        .flatMap((c) => c.received.filter((m) => m.op === 4));
    const count = updates().length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(updates().length).toBe(count);
    expect(gateway().voiceStates.get('alice')).toBeUndefined();
  }, 60_000);

  it('rejoins after leave; when the same account joins on another device, this one hangs up', async () => {
    await alice.evaluate(() => miscord.voice.join('lobby'));
    await poll(alice, () => miscord.voice.peers()[0]?.status === 'connected', 'alice reconnected to bob');
    await waitFor(() => audible(bob, 'alice'), 'alice heard again', 20_000);
    const alice2 = await openUser('token-alice');
    await poll(alice, () => miscord.voice.state.status === 'left', 'first device hung up');
    expect(
      await alice.evaluate(() => [miscord.voice.peers().length, document.querySelectorAll('audio').length]),
    ).toEqual([0, 0]);
    await poll(
      alice2,
      () => miscord.voice.peers()[0]?.status === 'connected',
      'second device connected to bob',
    );
    await poll(
      bob,
      () =>
        miscord.voice
          .peers()
          .map((p) => `${p.userId}:${p.status}`)
          .join() === 'alice:connected',
      'bob has one peer',
    );
    await waitFor(() => audible(bob, 'alice'), 'second device heard at bob', 20_000);
    await alice2.context().close();
  }, 90_000);

  it('follows the system default when the chosen microphone is unplugged, and switches back when it returns', async () => {
    const carol = await openUser('token-carol', true);
    const other = await carol.evaluate(async () =>
      (await miscord.voice.listDevices()).inputs.map((d) => d.deviceId).find((id) => id !== 'default'),
    );
    expect(other).toBeDefined();
    await carol.evaluate((id) => miscord.voice.setInputDevice(id as string), other);
    await carol.evaluate((id) => miscordTest.devices.unplug(id as string), other);
    await poll(
      carol,
      () => miscord.voice.getDebugInfo().microphone.deviceId === 'default',
      'fell back to default',
    );
    expect(await carol.evaluate(() => miscordTest.events.filter((e) => e.startsWith('fallback')))).toEqual([
      `fallback audioinput ${other}`,
    ]);
    expect(await carol.evaluate(() => miscord.voice.settings.inputDeviceId)).toBe(other); // the choice is remembered
    await carol.evaluate((id) => miscordTest.devices.plug(id as string), other);
    await waitFor(
      () => carol.evaluate((id) => miscord.voice.getDebugInfo().microphone.deviceId === id, other),
      'switched back',
    );
    expect(await carol.evaluate(() => miscord.voice.getDebugInfo().microphone.trackState)).toBe('live');
    await carol.evaluate(() => miscord.voice.leave());
    await carol.context().close();
  }, 60_000);
});
