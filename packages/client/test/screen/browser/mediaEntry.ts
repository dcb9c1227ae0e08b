/**
 * Bundled by media.chromium.test.ts and run in the page: this package's screen modules against Chromium's real
 * RTCPeerConnection, RTCRtpSender and getDisplayMedia. Two connections in one page, no signalling server.
 */

import { applyPreset, constraintsFor, screenPreset } from '../../../src/screen/presets';
import { setSending } from '../../../src/screen/sendGate';
import { snapshotOf } from '../../../src/stats/rtcStats';
import type { StatsSnapshot } from '../../../src/stats/types';
import { summarizeVideoStats } from '../../../src/stats/video';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(a: RTCPeerConnection, b: RTCPeerConnection): Promise<void> {
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  for (let i = 0; i < 200 && a.connectionState !== 'connected'; i++) await sleep(50);
}

async function stats(pc: RTCPeerConnection): Promise<StatsSnapshot> {
  return snapshotOf(await pc.getStats());
}

const first = <T>(items: readonly T[]): T | undefined => items[0];

async function probe() {
  const options = constraintsFor(screenPreset('720p30'), { audio: null });
  const stream = await navigator.mediaDevices.getDisplayMedia(options as DisplayMediaStreamOptions);
  const [track] = stream.getVideoTracks();
  if (!track) throw new Error('no video track');
  track.contentHint = screenPreset('720p30').contentHint;
  const settings = track.getSettings();

  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  let decodedVideo: HTMLVideoElement | null = null;
  receiver.ontrack = (e) => {
    decodedVideo = document.createElement('video');
    decodedVideo.muted = true;
    decodedVideo.srcObject = e.streams[0] ?? new MediaStream([e.track]);
    document.body.append(decodedVideo);
    void decodedVideo.play();
  };
  const rtpSender = sender.addTrack(track, stream);
  const encodingsBeforeNegotiation = rtpSender.getParameters().encodings.length;
  // A share starts gated: nobody watches yet.
  const gatedBeforeNegotiation = await setSending(rtpSender, false);
  await connect(sender, receiver);

  const applied = await applyPreset(track, rtpSender, screenPreset('text'));
  const textParameters = rtpSender.getParameters();
  // Back to a moving preset for the frame checks (text is 5 fps).
  await applyPreset(track, rtpSender, screenPreset('720p30'));

  await sleep(500);
  const offA = summarizeVideoStats(await stats(sender), null);
  const offInA = summarizeVideoStats(await stats(receiver), null);
  await sleep(1500);
  const offB = summarizeVideoStats(await stats(sender), null);
  const offInB = summarizeVideoStats(await stats(receiver), null);
  const bytesWhileOff = (first(offB.outbound)?.bytesSent ?? 0) - (first(offA.outbound)?.bytesSent ?? 0);
  const framesWhileOff =
    (first(offInB.inbound)?.framesDecoded ?? 0) - (first(offInA.inbound)?.framesDecoded ?? 0);

  await setSending(rtpSender, true);
  let prevIn: StatsSnapshot | null = null;
  let prevOut: StatsSnapshot | null = null;
  let summaryIn = summarizeVideoStats(await stats(receiver), null);
  let summaryOut = summarizeVideoStats(await stats(sender), null);
  for (let i = 0; i < 12; i++) {
    prevIn = await stats(receiver);
    prevOut = await stats(sender);
    await sleep(500);
    summaryIn = summarizeVideoStats(await stats(receiver), prevIn);
    summaryOut = summarizeVideoStats(await stats(sender), prevOut);
    if ((first(summaryIn.inbound)?.framesDecoded ?? 0) > 10 && first(summaryIn.inbound)?.frameWidth) break;
  }
  const inbound = first(summaryIn.inbound);
  const outbound = first(summaryOut.outbound);
  const framesAfterOn = (inbound?.framesDecoded ?? 0) - (first(offInB.inbound)?.framesDecoded ?? 0);

  const textEncoding = textParameters.encodings[0];
  const result = {
    captured: {
      width: settings.width ?? 0,
      height: settings.height ?? 0,
      frameRate: settings.frameRate ?? 0,
      contentHint: track.contentHint,
    },
    encodingsBeforeNegotiation,
    gatedBeforeNegotiation,
    applied: { senderUpdated: applied.senderUpdated, scale: applied.encoding.encoding.scaleResolutionDownBy },
    parameters: {
      degradationPreference: textParameters.degradationPreference ?? null,
      maxBitrate: textEncoding?.maxBitrate ?? null,
      active: textEncoding?.active ?? null,
    },
    bytesWhileOff,
    framesWhileOff,
    framesAfterOn,
    inbound: {
      frameWidth: inbound?.frameWidth ?? null,
      framesPerSecond: inbound?.fps ?? null,
      bitrate: inbound?.bitrate ?? null,
    },
    outbound: {
      bitrate: outbound?.bitrate ?? null,
      active: outbound?.active ?? null,
      limitation: outbound?.qualityLimitationReason ?? null,
    },
    raw: {
      inbound: [...(await stats(receiver)).values()].filter((r) => r.type === 'inbound-rtp'),
      outbound: [...(await stats(sender)).values()].filter((r) => r.type === 'outbound-rtp'),
    },
  };
  sender.close();
  receiver.close();
  for (const t of stream.getTracks()) t.stop();
  return result;
}

(window as unknown as { miscordScreenProbe: typeof probe }).miscordScreenProbe = probe;
