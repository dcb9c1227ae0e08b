/**
 * 🖥️ The viewer's side of other members' shares: the screen streams that arrived on each peer
 * connection (keyed by MediaStream id, which `screen.share` names), and the playback of a watched
 * share's audio through the voice output with its own volume — so deafen silences it too, and the
 * stream's volume is separate from its sharer's voice volume.
 */
import { createLogger } from '../log/logger';
import type { AudioOutput } from '../voice/AudioOutput';
import type { WatchModel } from './watchers';

const log = createLogger('screen');

/** The AudioOutput key of a share's audio: apart from the sharer's voice, which is keyed by user id. */
export const screenAudioKey = (sharer: string): string => `screen:${sharer}`;

export const DEFAULT_STREAM_VOLUME = 100;

export class RemoteScreens {
  /** sharer → (stream id → stream), as tracks arrive; old shares' streams go on `screen.end`. */
  readonly #streams = new Map<string, Map<string, MediaStream>>();
  /** stream id → an audio-only stream for the output (AudioOutput keys playback by stream identity). */
  readonly #audioStreams = new Map<string, MediaStream>();
  readonly #attached = new Set<string>();
  readonly #volumes = new Map<string, number>();
  /** sharer → the stream id of the share last seen in the watch model. */
  readonly #announced = new Map<string, string>();

  /** A track of a share arrived from `sharer`. */
  add(sharer: string, stream: MediaStream): void {
    let streams = this.#streams.get(sharer);
    if (!streams) {
      streams = new Map();
      this.#streams.set(sharer, streams);
    }
    if (!streams.has(stream.id)) log.debug(`share stream ${stream.id} from ${sharer} arrived`);
    streams.set(stream.id, stream);
  }

  streamOf(sharer: string, streamId: string): MediaStream | null {
    return this.#streams.get(sharer)?.get(streamId) ?? null;
  }

  /** The sharer's connection is gone: every stream it brought goes with it. */
  forget(sharer: string): void {
    for (const id of this.#streams.get(sharer)?.keys() ?? []) this.#audioStreams.delete(id);
    this.#streams.delete(sharer);
    this.#announced.delete(sharer);
  }

  /**
   * A share that was announced and is no longer current (ended, or replaced by a new one) takes its
   * stream with it. Streams not announced yet stay: a share's tracks may arrive before its `screen.share`.
   */
  #dropEnded(model: WatchModel): void {
    for (const [sharer, streamId] of [...this.#announced]) {
      if (model.remote.get(sharer)?.streamId === streamId) continue;
      this.#streams.get(sharer)?.delete(streamId);
      this.#audioStreams.delete(streamId);
      this.#announced.delete(sharer);
    }
    for (const [sharer, share] of model.remote) this.#announced.set(sharer, share.streamId);
  }

  volumeOf(sharer: string): number {
    return this.#volumes.get(sharer) ?? DEFAULT_STREAM_VOLUME;
  }

  setVolume(sharer: string, percent: number, output: AudioOutput | null): number {
    const value = Math.round(Math.min(200, Math.max(0, Number.isFinite(percent) ? percent : 100)));
    this.#volumes.set(sharer, value);
    output?.setVolume(screenAudioKey(sharer), value, false);
    return value;
  }

  /**
   * Play exactly the audio of the shares being watched; drop the streams of shares that are over. Called
   * after every change of the watch model or of the streams.
   */
  sync(model: WatchModel, output: AudioOutput | null): void {
    this.#dropEnded(model);
    const wanted = new Map<string, MediaStream>();
    for (const [sharer, share] of model.remote) {
      if (model.watching.get(sharer) !== share.shareId) continue;
      const stream = this.streamOf(sharer, share.streamId);
      const track = stream?.getAudioTracks()[0];
      if (!stream || !track) continue;
      let audio = this.#audioStreams.get(stream.id);
      if (!audio || audio.getAudioTracks()[0] !== track) {
        audio = new MediaStream([track]);
        this.#audioStreams.set(stream.id, audio);
      }
      wanted.set(sharer, audio);
    }
    for (const sharer of [...this.#attached]) {
      if (wanted.has(sharer) && output) continue;
      output?.detach(screenAudioKey(sharer));
      this.#attached.delete(sharer);
    }
    if (!output) return;
    for (const [sharer, audio] of wanted) {
      output.attach(screenAudioKey(sharer), audio, this.volumeOf(sharer), false);
      this.#attached.add(sharer);
    }
  }

  /** Everything goes (leaving voice): streams, playback; volumes are kept for the next share. */
  clear(output: AudioOutput | null): void {
    for (const sharer of this.#attached) output?.detach(screenAudioKey(sharer));
    this.#attached.clear();
    this.#streams.clear();
    this.#audioStreams.clear();
    this.#announced.clear();
  }
}
