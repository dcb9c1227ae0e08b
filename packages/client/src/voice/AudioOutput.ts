import { createLogger } from '../log/logger';
import type { RemoteAudioDebug } from './types';

const log = createLogger('voice');

interface RemoteAudio {
  readonly element: HTMLAudioElement;
  readonly stream: MediaStream;
  readonly source: MediaStreamAudioSourceNode;
  readonly gain: GainNode;
  readonly analyser: AnalyserNode;
  volumePercent: number;
  locallyMuted: boolean;
}

type SinkCapable = { setSinkId?: (id: string) => Promise<void> };

/**
 * Remote audio. Design: each remote stream is attached to a *muted, playing* `<audio>` element
 * — Chromium decodes a remote WebRTC stream only while a media element plays it — and the sound
 * you hear goes through Web Audio: MediaStreamSource → GainNode (0–2.0 = 0–200 %, 0 when locally
 * muted or deafened) → AudioContext destination. The element being muted avoids hearing everyone
 * twice; the gain node gives volumes above 100 %, which an element cannot. The output device is set
 * with `AudioContext.setSinkId` (Chromium 110+, Electron); without it, the context plays into a
 * MediaStreamDestination on one unmuted element whose `setSinkId` picks the device.
 */
export class AudioOutput {
  readonly #context: AudioContext;
  readonly #container: HTMLElement;
  readonly #remotes = new Map<string, RemoteAudio>();
  readonly #master: GainNode;
  #fallbackElement: HTMLAudioElement | null = null;
  #deafened = false;
  #sinkId = 'default';
  readonly #levelBuffer = new Float32Array(512);

  constructor(context: AudioContext, container: HTMLElement) {
    this.#context = context;
    this.#container = container;
    this.#master = context.createGain();
    if (typeof (context as SinkCapable).setSinkId === 'function') {
      this.#master.connect(context.destination);
    } else {
      const destination = context.createMediaStreamDestination();
      this.#master.connect(destination);
      const element = this.#createElement('miscord-output');
      element.srcObject = destination.stream;
      this.#fallbackElement = element;
      this.#play(element, 'output');
    }
  }

  get context(): AudioContext {
    return this.#context;
  }
  get sinkId(): string {
    return this.#sinkId;
  }
  get deafened(): boolean {
    return this.#deafened;
  }

  /** Start playing a remote user's stream (replaces any previous stream of theirs). */
  attach(userId: string, stream: MediaStream, volumePercent: number, locallyMuted: boolean): void {
    const existing = this.#remotes.get(userId);
    if (existing?.stream === stream) return;
    this.detach(userId);
    const element = this.#createElement(`miscord-remote-${userId}`);
    element.muted = true;
    element.srcObject = stream;
    this.#play(element, userId);
    const source = this.#context.createMediaStreamSource(stream);
    const gain = this.#context.createGain();
    const analyser = this.#context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(gain);
    gain.connect(this.#master);
    source.connect(analyser);
    const remote: RemoteAudio = { element, stream, source, gain, analyser, volumePercent, locallyMuted };
    this.#remotes.set(userId, remote);
    this.#applyGain(remote);
  }

  /** Remove every node and the element of one user. */
  detach(userId: string): void {
    const remote = this.#remotes.get(userId);
    if (!remote) return;
    this.#remotes.delete(userId);
    remote.source.disconnect();
    remote.gain.disconnect();
    remote.analyser.disconnect();
    remote.element.pause();
    remote.element.srcObject = null;
    remote.element.remove();
  }

  setVolume(userId: string, percent: number, locallyMuted: boolean): void {
    const remote = this.#remotes.get(userId);
    if (!remote) return;
    remote.volumePercent = percent;
    remote.locallyMuted = locallyMuted;
    this.#applyGain(remote);
  }

  setDeafened(deafened: boolean): void {
    this.#deafened = deafened;
    for (const remote of this.#remotes.values()) this.#applyGain(remote);
  }

  async setSinkId(deviceId: string): Promise<void> {
    const id = deviceId === 'default' ? '' : deviceId;
    const target: SinkCapable = this.#fallbackElement ?? (this.#context as SinkCapable);
    if (typeof target.setSinkId !== 'function')
      throw new Error('choosing an output device is not supported here');
    await target.setSinkId(id);
    this.#sinkId = deviceId;
    log.info(`output device → ${deviceId}`);
  }

  /** Resume after autoplay suspension (call from a user gesture). */
  async resume(): Promise<void> {
    if (this.#context.state === 'suspended') await this.#context.resume();
    for (const remote of this.#remotes.values())
      if (remote.element.paused) this.#play(remote.element, 'remote');
    if (this.#fallbackElement?.paused) this.#play(this.#fallbackElement, 'output');
  }

  /** RMS level 0..1 of what arrives from a user (before their gain). */
  level(userId: string): number | null {
    const remote = this.#remotes.get(userId);
    if (!remote) return null;
    remote.analyser.getFloatTimeDomainData(this.#levelBuffer);
    let sum = 0;
    for (const s of this.#levelBuffer) sum += s * s;
    return Math.sqrt(sum / this.#levelBuffer.length);
  }

  /** Gain applied to a user now (0–2): 0 when deafened or locally muted. */
  gainOf(userId: string): number | null {
    const remote = this.#remotes.get(userId);
    if (!remote) return null;
    return this.#deafened || remote.locallyMuted ? 0 : remote.volumePercent / 100;
  }

  elementPlaying(userId: string): boolean | null {
    const remote = this.#remotes.get(userId);
    return remote ? !remote.element.paused : null;
  }

  debugInfo(): RemoteAudioDebug[] {
    return [...this.#remotes].map(([userId, remote]) => ({
      userId,
      gain: remote.gain.gain.value,
      volumePercent: remote.volumePercent,
      locallyMuted: remote.locallyMuted,
      elementPlaying: !remote.element.paused,
    }));
  }

  users(): string[] {
    return [...this.#remotes.keys()];
  }

  /** Detach everyone and remove every node and element; the context is closed by its owner. */
  close(): void {
    for (const userId of [...this.#remotes.keys()]) this.detach(userId);
    this.#master.disconnect();
    if (this.#fallbackElement) {
      this.#fallbackElement.pause();
      this.#fallbackElement.srcObject = null;
      this.#fallbackElement.remove();
      this.#fallbackElement = null;
    }
  }

  #applyGain(remote: RemoteAudio): void {
    const value = this.#deafened || remote.locallyMuted ? 0 : remote.volumePercent / 100;
    remote.gain.gain.setValueAtTime(value, this.#context.currentTime);
  }

  #createElement(id: string): HTMLAudioElement {
    const element = this.#container.ownerDocument.createElement('audio');
    element.dataset.miscord = id;
    element.autoplay = true;
    this.#container.appendChild(element);
    return element;
  }

  #play(element: HTMLAudioElement, who: string): void {
    element.play().catch((error: unknown) => {
      log.warn(
        `audio element for ${who} did not start (autoplay?); it starts on the next user gesture`,
        error,
      );
    });
  }
}
