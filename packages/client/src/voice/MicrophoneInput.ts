import { createLogger } from '../log/logger';
import type { AudioProcessing } from './types';

const log = createLogger('voice');

export interface MicrophoneOpenOptions extends AudioProcessing {
  /** `'default'` follows the system default. */
  readonly deviceId: string;
}

/**
 * The local microphone as peers hear it. One getUserMedia stream at a time feeds a Web Audio graph:
 *
 * ```
 * device track → MediaStreamSource → GainNode (input volume) ─┬→ MediaStreamDestination → sendTrack (peers)
 *                                                             └→ AnalyserNode (meter, speaking)
 * ```
 *
 * The gain and the destination live as long as this input, so `sendTrack` never changes: a device or
 * processing switch (`open()` again) reconnects a new source behind the gain and stops the old stream —
 * peers keep their sender, nothing is renegotiated or even replaced. The analyser reads the signal after
 * the gain: the meter and the speaking ring show what the others hear (silent at 0 %).
 */
export class MicrophoneInput {
  readonly #mediaDevices: MediaDevices;
  readonly #gain: GainNode;
  readonly #analyser: AnalyserNode;
  readonly #destination: MediaStreamAudioDestinationNode;
  readonly #context: AudioContext;
  readonly #samples: Float32Array<ArrayBuffer>;
  #stream: MediaStream | null = null;
  #source: MediaStreamAudioSourceNode | null = null;
  #options: MicrophoneOpenOptions | null = null;
  #startedAt: number | null = null;

  /** `volumePercent`: the input gain, 0–200 (%). */
  constructor(mediaDevices: MediaDevices, context: AudioContext, volumePercent: number) {
    this.#mediaDevices = mediaDevices;
    this.#context = context;
    this.#gain = context.createGain();
    this.#gain.gain.value = volumePercent / 100;
    this.#analyser = context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#destination = context.createMediaStreamDestination();
    this.#destination.channelCount = 1;
    this.#gain.connect(this.#analyser);
    this.#gain.connect(this.#destination);
  }

  /** The device's own track (label, settings, ended when unplugged); null before open and after close. */
  get track(): MediaStreamTrack | null {
    return this.#stream?.getAudioTracks()[0] ?? null;
  }
  /** What peers get: the microphone after the input gain; the same track from open to close. */
  get sendTrack(): MediaStreamTrack | null {
    return this.#stream ? (this.#destination.stream.getAudioTracks()[0] ?? null) : null;
  }
  /** The input gain now (0–2). */
  get gain(): number {
    return this.#gain.gain.value;
  }
  get options(): MicrophoneOpenOptions | null {
    return this.#options;
  }
  get startedAt(): number | null {
    return this.#startedAt;
  }
  /** The device actually delivering audio (settings of the live track). */
  get activeDeviceId(): string | null {
    return this.track?.getSettings().deviceId ?? null;
  }

  static constraints(options: MicrophoneOpenOptions): MediaStreamConstraints {
    return {
      audio: {
        ...(options.deviceId === 'default' ? {} : { deviceId: { exact: options.deviceId } }),
        echoCancellation: options.echoCancellation,
        noiseSuppression: options.noiseSuppression,
        autoGainControl: options.autoGainControl,
        channelCount: 1,
      },
      video: false,
    };
  }

  /**
   * Open (or re-open) the microphone and put it behind the gain. The previous stream plays until the
   * new one is ready (a failed getUserMedia leaves it in place), then stops. Returns the device track;
   * the caller applies mute to it (`setEnabled`) — `sendTrack` keeps its own state across re-opens.
   */
  async open(options: MicrophoneOpenOptions): Promise<MediaStreamTrack> {
    const stream = await this.#mediaDevices.getUserMedia(MicrophoneInput.constraints(options));
    const track = stream.getAudioTracks()[0];
    if (!track) {
      MicrophoneInput.#stop(stream);
      throw new Error('getUserMedia returned no audio track');
    }
    const previous = this.#stream;
    this.#source?.disconnect();
    this.#source = this.#context.createMediaStreamSource(stream);
    this.#source.connect(this.#gain);
    this.#stream = stream;
    this.#options = options;
    this.#startedAt = Date.now();
    MicrophoneInput.#stop(previous);
    log.info(`microphone open: ${track.label || 'unnamed'} (${options.deviceId})`, track.getSettings());
    return track;
  }

  static #stop(stream: MediaStream | null): void {
    for (const t of stream?.getTracks() ?? []) t.stop();
  }

  /** Input volume 0–200 (%), applied at once to what peers hear. */
  setVolume(percent: number): void {
    this.#gain.gain.value = percent / 100;
  }

  /** Current time-domain samples (−1…1, more above 100 %) after the gain; empty when closed. */
  readSamples(): Float32Array {
    if (!this.#stream) return new Float32Array(0);
    this.#analyser.getFloatTimeDomainData(this.#samples);
    return this.#samples;
  }

  /**
   * Enable or disable sending (mute, push-to-talk): no renegotiation, peers get silence. Both tracks
   * follow, so the meter and speaking detection read silence while muted, as peers do.
   */
  setEnabled(enabled: boolean): void {
    for (const track of [this.track, this.sendTrack]) if (track) track.enabled = enabled;
  }

  /** Disconnect every node and stop every track (the device's and the one peers got). */
  close(): void {
    this.#source?.disconnect();
    this.#source = null;
    this.#gain.disconnect();
    this.#analyser.disconnect();
    MicrophoneInput.#stop(this.#destination.stream);
    MicrophoneInput.#stop(this.#stream);
    this.#stream = null;
    this.#startedAt = null;
  }
}
