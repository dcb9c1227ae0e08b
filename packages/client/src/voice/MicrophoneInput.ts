import { createLogger } from '../log/logger';
import type { AudioProcessing } from './types';

const log = createLogger('voice');

export interface MicrophoneOpenOptions extends AudioProcessing {
  /** `'default'` follows the system default. */
  readonly deviceId: string;
}

/**
 * The local microphone: one getUserMedia stream at a time, plus an analyser for the level meter and
 * speaking detection. `open()` again (device switch, processing change) returns a new track; the
 * caller moves peers over with `replaceTrack` and this class stops the old one.
 */
export class MicrophoneInput {
  readonly #mediaDevices: MediaDevices;
  readonly #context: AudioContext;
  #stream: MediaStream | null = null;
  #source: MediaStreamAudioSourceNode | null = null;
  #analyser: AnalyserNode | null = null;
  #samples: Float32Array<ArrayBuffer> | null = null;
  #options: MicrophoneOpenOptions | null = null;
  #startedAt: number | null = null;

  constructor(mediaDevices: MediaDevices, context: AudioContext) {
    this.#mediaDevices = mediaDevices;
    this.#context = context;
  }

  get track(): MediaStreamTrack | null {
    return this.#stream?.getAudioTracks()[0] ?? null;
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
   * Open (or re-open) the microphone. The previous stream keeps running until `releasePrevious()`
   * so peers can switch tracks first; returns the new track.
   */
  async open(
    options: MicrophoneOpenOptions,
  ): Promise<{ track: MediaStreamTrack; previous: MediaStream | null }> {
    const stream = await this.#mediaDevices.getUserMedia(MicrophoneInput.constraints(options));
    const track = stream.getAudioTracks()[0];
    if (!track) {
      for (const t of stream.getTracks()) t.stop();
      throw new Error('getUserMedia returned no audio track');
    }
    const previous = this.#stream;
    this.#stream = stream;
    this.#options = options;
    this.#startedAt = Date.now();
    this.#source?.disconnect();
    this.#source = this.#context.createMediaStreamSource(stream);
    this.#analyser ??= this.#context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#source.connect(this.#analyser);
    log.info(`microphone open: ${track.label || 'unnamed'} (${options.deviceId})`, track.getSettings());
    return { track, previous };
  }

  static release(stream: MediaStream | null): void {
    for (const t of stream?.getTracks() ?? []) t.stop();
  }

  /** Current time-domain samples (−1…1) for level computation; empty when closed. */
  readSamples(): Float32Array {
    if (!this.#analyser || !this.#samples) return new Float32Array(0);
    this.#analyser.getFloatTimeDomainData(this.#samples);
    return this.#samples;
  }

  /** Enable or disable the track (mute, push-to-talk): no renegotiation, peers get silence. */
  setEnabled(enabled: boolean): void {
    const track = this.track;
    if (track) track.enabled = enabled;
  }

  close(): void {
    this.#source?.disconnect();
    this.#analyser?.disconnect();
    this.#source = null;
    this.#analyser = null;
    this.#samples = null;
    MicrophoneInput.release(this.#stream);
    this.#stream = null;
    this.#startedAt = null;
  }
}
