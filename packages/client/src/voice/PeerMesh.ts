import type { SignalData } from '@miscord/protocol';
import { TypedEmitter } from '../events/TypedEmitter';
import { createLogger } from '../log/logger';
import type { VoiceSettingsRepository } from '../settings/VoiceSettings';
import type { AudioOutput } from './AudioOutput';
import { isInitiator } from './initiator';
import { PeerConnection, type SimplePeerFactory } from './PeerConnection';
import type { SignallingAdapter } from './SignallingAdapter';

const log = createLogger('voice');

export type PeerMeshEvents = {
  /** A peer was added, removed or changed status. */
  change: [];
  /** A peer was destroyed (its remote audio is gone). */
  removed: [userId: string];
  /** A peer closed while its member is still in the channel: rebuild it (after a pause). */
  lost: [userId: string];
  /** A peer was just made (before its first offer goes out: tracks added now join that offer). */
  created: [peer: PeerConnection];
  /** A peer's connection and data channel are open. */
  connected: [userId: string];
  data: [userId: string, data: unknown];
  screenTrack: [userId: string, track: MediaStreamTrack, stream: MediaStream];
  negotiated: [userId: string];
};

export interface PeerMeshOptions {
  readonly signalling: SignallingAdapter;
  readonly settings: VoiceSettingsRepository;
  readonly selfUserId: () => string | null;
  readonly iceServers: () => RTCIceServer[];
  readonly track: () => MediaStreamTrack | null;
  readonly output: () => AudioOutput | null;
  readonly createPeer: () => SimplePeerFactory | null;
  /** Is this user still a member of our channel (for rebuilding closed peers)? */
  readonly isMember: (userId: string) => boolean;
  /** The gateway session currently holding this user's voice state. */
  readonly sessionOf: (userId: string) => string | null;
}

/** The mesh: one PeerConnection per remote member, keyed by user id. */
export class PeerMesh extends TypedEmitter<PeerMeshEvents> {
  readonly #options: PeerMeshOptions;
  readonly #peers = new Map<string, PeerConnection>();
  readonly #retryTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(options: PeerMeshOptions) {
    super();
    this.#options = options;
  }

  get(userId: string): PeerConnection | undefined {
    return this.#peers.get(userId);
  }
  all(): PeerConnection[] {
    return [...this.#peers.values()];
  }
  userIds(): string[] {
    return [...this.#peers.keys()];
  }

  /**
   * Follow the member list: create peers for new members (when `create`), destroy peers of members
   * who left — except, when `graceful`, connected ones (their member may be rejoining after a gateway
   * restart).
   */
  reconcile(members: ReadonlySet<string>, create: boolean, graceful: boolean): void {
    if (create) for (const userId of members) if (!this.#peers.has(userId)) this.create(userId);
    for (const [userId, peer] of this.#peers) {
      if (members.has(userId)) continue;
      if (graceful && peer.status === 'connected') continue;
      this.destroy(userId);
    }
  }

  /**
   * Feed a signal to the member's peer, creating the peer if the member offers first. An offer from
   * a different session of that user than the peer was made for (voice moved to their other device)
   * goes to a fresh peer.
   */
  signal(from: string, data: SignalData): void {
    let peer = this.#peers.get(from);
    const session = this.#options.sessionOf(from);
    if (peer && data.type === 'offer' && !peer.initiator && session && peer.remoteSessionId !== session) {
      log.info(`offer from a new session of ${from}: replacing the peer`);
      this.destroy(from);
      peer = undefined;
    }
    peer ??= this.create(from) ?? undefined;
    peer?.signal(data);
  }

  create(userId: string): PeerConnection | null {
    const self = this.#options.selfUserId();
    const track = this.#options.track();
    const factory = this.#options.createPeer();
    if (!self || !track || !factory || self === userId) return null;
    const peer = new PeerConnection({
      userId,
      remoteSessionId: this.#options.sessionOf(userId),
      initiator: isInitiator(self, userId),
      track,
      iceServers: this.#options.iceServers(),
      createPeer: factory,
      send: (data) => {
        if (!this.#options.signalling.send(userId, data))
          log.warn(`signal ${data.type} to ${userId} not sent (gateway down)`);
      },
    });
    this.#peers.set(userId, peer);
    log.info(`peer ${userId} created (${peer.initiator ? 'initiator' : 'answerer'})`);
    peer.on('stream', (stream) => {
      const s = this.#options.settings.settings;
      this.#options.output()?.attach(userId, stream, s.userVolumes[userId] ?? 100, !!s.userMutes[userId]);
    });
    peer.on('statusChange', (status) => {
      this.emit('change');
      if (status === 'connected') this.emit('connected', userId);
    });
    peer.on('closed', (reason) => this.#onClosed(userId, peer, reason));
    peer.on('data', (data) => this.emit('data', userId, data));
    peer.on('screenTrack', (track, stream) => this.emit('screenTrack', userId, track, stream));
    peer.on('negotiated', () => this.emit('negotiated', userId));
    this.emit('created', peer);
    this.emit('change');
    return peer;
  }

  destroy(userId: string): void {
    const timer = this.#retryTimers.get(userId);
    if (timer !== undefined) clearTimeout(timer);
    this.#retryTimers.delete(userId);
    const peer = this.#peers.get(userId);
    if (!peer) return;
    this.#peers.delete(userId);
    peer.destroy();
    this.#options.output()?.detach(userId);
    log.info(`peer ${userId} destroyed`);
    this.emit('removed', userId);
    this.emit('change');
  }

  destroyAll(): void {
    for (const userId of [...this.#peers.keys()]) this.destroy(userId);
    for (const timer of this.#retryTimers.values()) clearTimeout(timer);
    this.#retryTimers.clear();
  }

  protected override onListenerError(event: string, error: unknown): void {
    log.error(`mesh listener for "${event}" threw`, error);
  }

  /** A peer died: if its member is still here, ask for a fresh one after a pause; else drop it. */
  #onClosed(userId: string, peer: PeerConnection, reason: string): void {
    if (this.#peers.get(userId) !== peer) return;
    this.destroy(userId);
    if (!this.#options.isMember(userId)) return;
    log.warn(`peer ${userId} closed (${reason}); reconnecting in 1 s`);
    this.#retryTimers.set(
      userId,
      setTimeout(() => {
        this.#retryTimers.delete(userId);
        this.emit('lost', userId);
      }, 1000),
    );
  }
}
