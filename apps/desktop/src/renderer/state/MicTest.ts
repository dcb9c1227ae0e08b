/**
 * "Let's check": play the microphone back to the user and measure its level, outside any call. With
 * `playback: false` it only measures (the settings meter while not in voice).
 */
export interface MicTestOptions {
  readonly deviceId: string;
  readonly echoCancellation: boolean;
  readonly noiseSuppression: boolean;
  readonly autoGainControl: boolean;
  /** 0–200 (%). */
  readonly volume: number;
  readonly playback: boolean;
  /** Called about 20 times a second with the level in dBFS. */
  readonly onLevel: (db: number) => void;
}

/** dBFS of an RMS amplitude 0..1; silence is −Infinity. */
export function amplitudeToDb(amplitude: number): number {
  return amplitude > 0 ? Math.max(-100, 20 * Math.log10(amplitude)) : Number.NEGATIVE_INFINITY;
}

const LEVEL_INTERVAL_MS = 50;

export class MicTest {
  #stream: MediaStream | null = null;
  #context: AudioContext | null = null;
  #gain: GainNode | null = null;
  #frame = 0;
  #stopped = false;

  async start(options: MicTestOptions): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(options.deviceId === 'default' ? {} : { deviceId: { exact: options.deviceId } }),
        echoCancellation: options.echoCancellation,
        noiseSuppression: options.noiseSuppression,
        autoGainControl: options.autoGainControl,
      },
    });
    if (this.#stopped) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const context = new AudioContext();
    const source = context.createMediaStreamSource(stream);
    const gain = context.createGain();
    gain.gain.value = options.volume / 100;
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(gain);
    gain.connect(analyser);
    if (options.playback) gain.connect(context.destination);
    this.#stream = stream;
    this.#context = context;
    this.#gain = gain;
    const samples = new Float32Array(analyser.fftSize);
    let lastReport = 0;
    const tick = (now: number) => {
      if (now - lastReport >= LEVEL_INTERVAL_MS) {
        lastReport = now;
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        options.onLevel(amplitudeToDb(Math.sqrt(sum / samples.length)));
      }
      this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  setVolume(percent: number): void {
    if (this.#gain) this.#gain.gain.value = percent / 100;
  }

  stop(): void {
    this.#stopped = true;
    cancelAnimationFrame(this.#frame);
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    void this.#context?.close();
    this.#stream = null;
    this.#context = null;
    this.#gain = null;
  }
}
