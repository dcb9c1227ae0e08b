/**
 * Bundled by watching.chromium.test.ts: three members in one page over real simple-peer connections
 * (signals handed across directly, no gateway). `sam` shares; `ann` and `ben` are viewers. Each pair's
 * initiator is the smaller id, so `sam` is the non-initiator on both connections and its screen track
 * goes through simple-peer's renegotiate → transceiverRequest path (E2E-RECIPE §5). Watch messages travel
 * over each connection's data channel, through this package's messages.ts, watchers.ts and sendGate.ts.
 */
import SimplePeer from 'simple-peer/simplepeer.min.js';
import { decodeScreenMessage, encodeScreenMessage } from '../../../src/screen/messages';
import { constraintsFor, screenPreset } from '../../../src/screen/presets';
import { applySendActions, setSending } from '../../../src/screen/sendGate';
import { emptyWatchModel, reduceWatch, type WatchEvent, type WatchModel } from '../../../src/screen/watchers';
import { snapshotOf } from '../../../src/stats/rtcStats';
import { formatVideoLine, summarizeVideoStats } from '../../../src/stats/video';
import { initiatorOf } from '../../../src/voice/initiator';

type Peer = InstanceType<typeof SimplePeer>;
const pcOf = (peer: Peer) => (peer as unknown as { _pc: RTCPeerConnection })._pc;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

class Member {
  model: WatchModel;
  readonly peers = new Map<string, Peer>();
  readonly screenSenders = new Map<string, RTCRtpSender>();
  readonly videos = new Map<string, HTMLVideoElement>();
  readonly log: string[] = [];

  constructor(readonly id: string) {
    this.model = emptyWatchModel(id);
  }

  async dispatch(event: WatchEvent): Promise<void> {
    const step = reduceWatch(this.model, event);
    this.model = step.model;
    if (step.ignored) this.log.push(`ignored: ${step.ignored}`);
    for (const { to, message } of step.messages) this.peers.get(to)?.send(encodeScreenMessage(message));
    const failures = await applySendActions(step.actions, (peer) => {
      const sender = this.screenSenders.get(peer);
      return sender ? [sender] : [];
    });
    for (const failure of failures)
      this.log.push(`gate failed for ${failure.peer}: ${String(failure.error)}`);
  }

  async inboundVideo(from: string) {
    const peer = this.peers.get(from);
    if (!peer) throw new Error(`${this.id} has no peer ${from}`);
    const [video] = summarizeVideoStats(snapshotOf(await pcOf(peer).getStats()), null).inbound;
    return { frames: video?.framesDecoded ?? 0, bytes: video?.bytesReceived ?? 0 };
  }
}

function pair(a: Member, b: Member): Promise<void> {
  const initiator = initiatorOf(a.id, b.id);
  const pa = new SimplePeer({ initiator: initiator === a.id, trickle: true });
  const pb = new SimplePeer({ initiator: initiator === b.id, trickle: true });
  pa.on('signal', (data) => pb.signal(data));
  pb.on('signal', (data) => pa.signal(data));
  a.peers.set(b.id, pa);
  b.peers.set(a.id, pb);
  for (const [self, other, peer] of [
    [a, b, pa],
    [b, a, pb],
  ] as const) {
    peer.on('data', (raw: unknown) => {
      const decoded = decodeScreenMessage(raw);
      if (!decoded.ok) {
        self.log.push(`undecodable from ${other.id}: ${decoded.reason}`);
        return;
      }
      void self.dispatch({ type: 'received', from: other.id, message: decoded.message });
    });
    peer.on('track', (_track: MediaStreamTrack, stream: MediaStream) => {
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = stream;
      document.body.append(video);
      void video.play();
      self.videos.set(other.id, video);
    });
    peer.on('error', (error: Error) => self.log.push(`peer error with ${other.id}: ${error.message}`));
  }
  return Promise.all([
    new Promise<void>((resolve) => pa.once('connect', () => resolve())),
    new Promise<void>((resolve) => pb.once('connect', () => resolve())),
  ]).then(async () => {
    await a.dispatch({ type: 'peerConnected', peer: b.id });
    await b.dispatch({ type: 'peerConnected', peer: a.id });
  });
}

async function run() {
  const sam = new Member('sam');
  const ann = new Member('ann');
  const ben = new Member('ben');
  await Promise.all([pair(sam, ann), pair(sam, ben)]);

  // Go live: capture, add to both connections (renegotiation from the non-initiator), gate off at once.
  const stream = await navigator.mediaDevices.getDisplayMedia(
    constraintsFor(screenPreset('720p30'), { audio: null }),
  );
  const [track] = stream.getVideoTracks();
  if (!track) throw new Error('no screen track');
  track.contentHint = 'motion';
  const gatedAtAdd: boolean[] = [];
  for (const [viewer, peer] of sam.peers) {
    peer.addTrack(track, stream);
    const sender = pcOf(peer)
      .getSenders()
      .find((s) => s.track === track);
    if (!sender) throw new Error(`no sender for ${viewer}`);
    sam.screenSenders.set(viewer, sender);
    gatedAtAdd.push(await setSending(sender, false));
  }
  await until(
    'both viewers to receive the (gated) track',
    () => ann.videos.has('sam') && ben.videos.has('sam'),
  );
  const activeAfterRenegotiation = [...sam.screenSenders.values()].map(
    (s) => s.getParameters().encodings[0]?.active ?? null,
  );

  await sam.dispatch({
    type: 'shareStarted',
    shareId: 'share-1',
    streamId: 'st-share-1',
    preset: '720p30',
    audio: false,
  });
  await until(
    'viewers to learn of the share',
    () => ann.model.remote.has('sam') && ben.model.remote.has('sam'),
  );

  const beforeWatch = { ann: await ann.inboundVideo('sam'), ben: await ben.inboundVideo('sam') };
  await ann.dispatch({ type: 'watch', sharer: 'sam' });
  await until('sam to count ann as a watcher', () => sam.model.local?.watchers.has('ann') === true);
  await until(
    'ben to see the viewer list',
    () => ben.model.remote.get('sam')?.viewers.includes('ann') === true,
  );
  const t0 = { ann: await ann.inboundVideo('sam'), ben: await ben.inboundVideo('sam') };
  let annFrames = t0.ann.frames;
  const deadline = Date.now() + 20_000;
  while (annFrames - t0.ann.frames < 20 && Date.now() < deadline) {
    await sleep(250);
    annFrames = (await ann.inboundVideo('sam')).frames;
  }
  const t1 = { ann: await ann.inboundVideo('sam'), ben: await ben.inboundVideo('sam') };
  const samLine = formatVideoLine(
    summarizeVideoStats(snapshotOf(await pcOf(sam.peers.get('ben')!).getStats()), null),
  );

  await ann.dispatch({ type: 'unwatch', sharer: 'sam' });
  await until('sam to drop ann', () => sam.model.local?.watchers.size === 0);
  await sleep(500); // frames already in flight
  const t2 = await ann.inboundVideo('sam');
  await sleep(1500);
  const t3 = await ann.inboundVideo('sam');

  await sam.dispatch({ type: 'shareStopped' });
  await until(
    'viewers to drop the share',
    () => !ann.model.remote.has('sam') && !ben.model.remote.has('sam'),
  );
  for (const t of stream.getTracks()) t.stop();
  for (const member of [sam, ann, ben]) for (const peer of member.peers.values()) peer.destroy();

  return {
    gatedAtAdd,
    activeAfterRenegotiation,
    beforeWatch,
    annFramesWhileWatching: t1.ann.frames - t0.ann.frames,
    benFramesWhileAnnWatched: t1.ben.frames - beforeWatch.ben.frames,
    benBytesWhileAnnWatched: t1.ben.bytes - beforeWatch.ben.bytes,
    annFramesAfterUnwatch: t3.frames - t2.frames,
    samLineToBen: samLine,
    logs: { sam: sam.log, ann: ann.log, ben: ben.log },
  };
}

(window as unknown as { miscordWatching: typeof run }).miscordWatching = run;
