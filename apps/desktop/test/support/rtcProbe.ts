import type { BrowserContext, Page } from 'playwright-core';

/**
 * A page-side probe installed before the app loads (`context.addInitScript`). It only observes: every
 * RTCPeerConnection, AudioContext, getUserMedia track and Web Audio-made track (MediaStreamDestination: the
 * microphone after its input gain) the page creates is remembered, so a test can read inbound audio from
 * each remote user over the real getStats() and count what a leaver left behind.
 *
 * Plain JavaScript in a string on purpose: a function serialised by Playwright would carry the helpers
 * tsx/esbuild inject (`__name`) into a page that does not define them.
 */
const PROBE_SOURCE = `(() => {
  if (window.__miscordProbe) return;
  const pcs = [];
  const localTracks = [];
  const webAudioTracks = [];
  const contexts = [];
  const NativePc = window.RTCPeerConnection;
  if (NativePc) {
    window.RTCPeerConnection = class extends NativePc {
      constructor(...args) {
        super(...args);
        pcs.push(this);
      }
    };
  }
  const NativeContext = window.AudioContext;
  if (NativeContext) {
    window.AudioContext = class extends NativeContext {
      constructor(...args) {
        super(...args);
        contexts.push(this);
      }
      createMediaStreamDestination(...args) {
        const node = super.createMediaStreamDestination(...args);
        webAudioTracks.push(...node.stream.getTracks());
        return node;
      }
    };
  }
  const devices = navigator.mediaDevices;
  if (devices && devices.getUserMedia) {
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      localTracks.push(...stream.getTracks());
      return stream;
    };
  }
  const remoteElements = () =>
    Array.from(document.querySelectorAll('audio[data-miscord^="miscord-remote-"]'));
  const trackOwners = () => {
    const owners = new Map();
    for (const element of remoteElements()) {
      const userId = element.dataset.miscord.slice('miscord-remote-'.length);
      const stream = element.srcObject;
      if (stream) for (const track of stream.getTracks()) owners.set(track.id, userId);
    }
    return owners;
  };
  // Decoded audio per remote stream, measured the way the app consumes it (Web Audio). inbound-rtp's
  // totalAudioEnergy cannot be used: Chromium computes it only while a media element renders the track
  // audibly, and the app plays remote audio through Web Audio with a muted element.
  let meterContext = null;
  const meters = new Map();
  const meterOf = (stream) => {
    let meter = meters.get(stream);
    if (meter) return meter;
    if (!meterContext) meterContext = new NativeContext();
    if (meterContext.state === 'suspended') void meterContext.resume();
    const analyser = meterContext.createAnalyser();
    analyser.fftSize = 1024;
    meterContext.createMediaStreamSource(stream).connect(analyser);
    meter = { analyser, buffer: new Float32Array(analyser.fftSize), energy: 0 };
    meters.set(stream, meter);
    return meter;
  };
  setInterval(() => {
    for (const meter of meters.values()) {
      meter.analyser.getFloatTimeDomainData(meter.buffer);
      let sum = 0;
      for (const x of meter.buffer) sum += x * x;
      meter.energy += (sum / meter.buffer.length) * 0.05;
    }
  }, 50);
  const ownerOf = (pc, owners) => {
    for (const receiver of pc.getReceivers()) {
      const owner = receiver.track && owners.get(receiver.track.id);
      if (owner) return owner;
    }
    return null;
  };
  window.__miscordProbe = {
    pcs,
    localTracks,
    contexts,
    async inbound() {
      const owners = trackOwners();
      const out = {};
      for (let i = 0; i < pcs.length; i++) {
        const pc = pcs[i];
        if (pc.signalingState === 'closed') continue;
        const key = ownerOf(pc, owners) || 'pc#' + i;
        const sample = { pc: i, connectionState: pc.connectionState, bytes: 0, packets: 0, energy: 0 };
        const report = await pc.getStats();
        report.forEach((r) => {
          if (r.type !== 'inbound-rtp' || r.kind !== 'audio') return;
          sample.bytes += r.bytesReceived || 0;
          sample.packets += r.packetsReceived || 0;
        });
        const element = remoteElements().find((e) => e.dataset.miscord === 'miscord-remote-' + key);
        if (element && element.srcObject) sample.energy = meterOf(element.srcObject).energy;
        out[key] = sample;
      }
      return out;
    },
    async stopSendingTo(userId) {
      const owners = trackOwners();
      const pc = pcs.find((p) => p.signalingState !== 'closed' && ownerOf(p, owners) === userId);
      if (!pc) return false;
      for (const sender of pc.getSenders()) if (sender.track) await sender.replaceTrack(null);
      return true;
    },
    stopMicrophone() {
      let stopped = 0;
      for (const track of localTracks) if (track.readyState === 'live') { track.stop(); stopped++; }
      return stopped;
    },
    leftovers() {
      const receiverTracks = pcs.flatMap((pc) => pc.getReceivers().map((r) => r.track).filter(Boolean));
      return {
        peerConnectionsCreated: pcs.length,
        peerConnectionsOpen: pcs.filter((pc) => pc.signalingState !== 'closed').length,
        liveLocalTracks: localTracks.filter((t) => t.readyState === 'live').length,
        liveWebAudioTracks: webAudioTracks.filter((t) => t.readyState === 'live').length,
        liveRemoteTracks: receiverTracks.filter((t) => t.readyState === 'live').length,
        audioElements: document.querySelectorAll('audio').length,
        audioContextsOpen: contexts.filter((c) => c.state !== 'closed').length,
      };
    },
  };
})();`;

export interface InboundSample {
  /** Index of the RTCPeerConnection in creation order (stable across a gateway restart if peers are kept). */
  readonly pc: number;
  readonly connectionState: RTCPeerConnectionState;
  readonly bytes: number;
  readonly packets: number;
  /**
   * Energy of the decoded audio from this user (Σ mean-square × 0.05 s, sampled every 50 ms by an analyser
   * on their stream), counted from the first sample that saw their <audio> element.
   */
  readonly energy: number;
}

export interface Leftovers {
  readonly peerConnectionsCreated: number;
  readonly peerConnectionsOpen: number;
  /** getUserMedia tracks still live. */
  readonly liveLocalTracks: number;
  /** MediaStreamDestination tracks still live (the microphone as peers get it, after the input gain). */
  readonly liveWebAudioTracks: number;
  readonly liveRemoteTracks: number;
  readonly audioElements: number;
  readonly audioContextsOpen: number;
}

interface ProbeWindow {
  __miscordProbe: {
    inbound(): Promise<Record<string, InboundSample>>;
    stopSendingTo(userId: string): Promise<boolean>;
    stopMicrophone(): number;
    leftovers(): Leftovers;
  };
}

export async function installRtcProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: PROBE_SOURCE });
}

/** Inbound audio per remote user (keyed by userId once their <audio> element exists, else `pc#i`). */
export function inboundAudio(page: Page): Promise<Record<string, InboundSample>> {
  return page.evaluate(() => (window as unknown as ProbeWindow).__miscordProbe.inbound());
}

/** Stop sending audio to one user (replaceTrack(null) on that peer): the link stays up, the audio dies. */
export function stopSendingTo(page: Page, userId: string): Promise<boolean> {
  return page.evaluate((id) => (window as unknown as ProbeWindow).__miscordProbe.stopSendingTo(id), userId);
}

/** Stop every microphone track the page got from getUserMedia (what a revoked device looks like). */
export function stopMicrophone(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as ProbeWindow).__miscordProbe.stopMicrophone());
}

export function leftovers(page: Page): Promise<Leftovers> {
  return page.evaluate(() => (window as unknown as ProbeWindow).__miscordProbe.leftovers());
}
