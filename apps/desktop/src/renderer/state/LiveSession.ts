import {
  closeGatewayConnection,
  describeShareAudioUnavailable,
  electronSharePlatform,
  type GatewayConnection,
  GatewayError,
  getGatewayConnection,
  installDevtoolsGlobals,
  type ScreenPresetId,
  VoiceSession,
} from '@miscord/client';
import { closeCodeTable, topics } from '@miscord/protocol';
import type { DesktopScreenApi } from '../../shared/desktopApi';
import { buildMainView, type LiveSnapshot } from './buildMainView';
import { createStore, type Store } from './createStore';
import { gatewaySocketUrl } from './gatewayUrl';
import { takeLegacyInputVolume } from './inputVolume';
import type { SavedSession } from './savedSession';
import { type ScreenShareView, type ShareAudioView, screenViewOf } from './screenView';
import type { MainView } from './viewTypes';

export interface ClientIdentity {
  readonly kind: 'desktop' | 'web';
  readonly version: string;
  readonly platform: string;
}

/** What "Go Live" asks for: quality, audio, and on the desktop the source picked in Miscord's picker. */
export interface GoLiveRequest {
  readonly preset: ScreenPresetId;
  readonly audio: boolean;
  readonly sourceId?: string;
}

/** The MediaStreams behind the view (kept out of the immutable view models). */
export interface ScreenMedia {
  /** A watched share's stream, once its tracks arrived. */
  streamOf(userId: string): MediaStream | null;
  /** Our own share's capture, for the preview. */
  localStream(): MediaStream | null;
}

/** Why a live session ended for good, so the app can send the user back to sign-in. */
export type SessionEnd = {
  readonly reason: 'authenticationFailed' | 'removed' | 'closed';
  readonly message: string;
};

const NOTICE_MS = 6_000;

function describeJoinError(error: unknown): string {
  if (error instanceof GatewayError && error.serverCode === 'CHANNEL_FULL')
    return 'That voice channel is full.';
  if (error instanceof GatewayError && error.serverCode === 'UNKNOWN_CHANNEL')
    return 'That voice channel no longer exists.';
  if (error instanceof DOMException && error.name === 'NotAllowedError')
    return 'Miscord needs microphone access to join voice.';
  if (error instanceof DOMException && error.name === 'NotFoundError') return 'No microphone was found.';
  return error instanceof Error ? error.message : String(error);
}

/** A failed Go Live, or null when the person simply closed the picker. */
function describeShareError(error: unknown): string | null {
  if (error instanceof DOMException && error.name === 'NotAllowedError') return null;
  if (error instanceof DOMException && error.name === 'NotReadableError')
    return 'That screen or window cannot be captured right now.';
  return `Could not share your screen: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Adapts packages/client (one GatewayConnection, one VoiceSession) to React: every client event updates
 * a snapshot, and `view` is a store of the derived MainView the components render.
 */
export class LiveSession {
  readonly gateway: GatewayConnection;
  readonly voice: VoiceSession | null;
  readonly view: Store<MainView>;
  /** Microphone level 0..1 while in voice (kept apart from `view`: it changes 20 times a second). */
  readonly inputLevel: Store<number> = createStore(0);
  readonly media: ScreenMedia = {
    streamOf: (userId) => this.voice?.screen.shares().find((s) => s.userId === userId)?.stream ?? null,
    localStream: () => this.voice?.screen.sharing?.stream ?? null,
  };
  readonly #session: SavedSession;
  readonly #desktopScreen: DesktopScreenApi | null;
  readonly #unsubscribers: Array<() => void> = [];
  #pingMs: number | null = null;
  #speaking = new Set<string>();
  #notice: string | null = null;
  #noticeTimer: ReturnType<typeof setTimeout> | null = null;
  #onEnd: (end: SessionEnd) => void;

  constructor(
    session: SavedSession,
    identity: ClientIdentity,
    onEnd: (end: SessionEnd) => void,
    desktopScreen: DesktopScreenApi | null = null,
  ) {
    this.#session = session;
    this.#onEnd = onEnd;
    this.#desktopScreen = desktopScreen;
    this.gateway = getGatewayConnection({
      url: gatewaySocketUrl(session.serverUrl),
      getToken: () => session.token,
      client: identity,
    });
    let voice: VoiceSession | null = null;
    try {
      voice = new VoiceSession({
        gateway: this.gateway,
        screenPlatform: identity.kind === 'desktop' ? electronSharePlatform(identity.platform) : 'web',
      });
    } catch (error) {
      this.#notice = `Voice is unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
    const legacyInputVolume = voice ? takeLegacyInputVolume(localStorage) : null;
    if (legacyInputVolume !== null) voice?.setInputVolume(legacyInputVolume);
    this.voice = voice;
    this.view = createStore(buildMainView(this.#snapshot()));
    installDevtoolsGlobals(window, { voice, gateway: this.gateway });
    this.#listen();
  }

  /** Connect and subscribe to every voice channel of the space, so the sidebar shows who is where. */
  start(): void {
    this.gateway.connect().catch((error: unknown) => {
      // connect() rejects only when the connection stopped for good; the close listener handles that.
      console.warn('⚠️ gateway stopped before ready', error);
    });
  }

  stop(): void {
    for (const off of this.#unsubscribers.splice(0)) off();
    if (this.#noticeTimer) clearTimeout(this.#noticeTimer);
    this.voice?.destroy();
    closeGatewayConnection('signed out');
    installDevtoolsGlobals(window, { voice: null, gateway: null });
  }

  readonly actions = {
    joinChannel: (channelId: string) => {
      const voice = this.voice;
      if (!voice || voice.channelId === channelId) return;
      const joining = voice.channelId === null ? voice.join(channelId) : voice.move(channelId);
      joining.catch((error: unknown) => this.#showNotice(describeJoinError(error)));
      this.#refresh();
    },
    leaveChannel: () => {
      this.voice?.leave().catch((error: unknown) => this.#showNotice(describeJoinError(error)));
    },
    toggleMute: () => {
      if (this.voice) this.voice.setSelfMute(!this.voice.selfMute);
      this.#refresh();
    },
    toggleDeafen: () => {
      if (this.voice) this.voice.setSelfDeaf(!this.voice.selfDeaf);
      this.#refresh();
    },
    setPeerVolume: (userId: string, volume: number) => {
      this.voice?.setUserVolume(userId, volume);
      this.#refresh();
    },
    togglePeerMuted: (userId: string) => {
      if (this.voice) this.voice.setUserMuted(userId, !this.voice.isUserMuted(userId));
      this.#refresh();
    },
    /** Go Live. Resolves once live (or the picker was closed); failures become a notice. */
    startShare: async (request: GoLiveRequest): Promise<void> => {
      const screen = this.voice?.screen;
      if (!screen) return;
      try {
        if (this.#desktopScreen && request.sourceId) {
          const chosen = await this.#desktopScreen.choose({
            sourceId: request.sourceId,
            audio: request.audio,
          });
          if (!chosen.ok) throw new Error(chosen.error);
        }
        await screen.start({ preset: request.preset, audio: request.audio });
      } catch (error) {
        const message = describeShareError(error);
        if (message) this.#showNotice(message);
        else console.info('🖥️ screen share cancelled in the picker');
      }
    },
    stopShare: () => this.voice?.screen.stop(),
    setSharePreset: (preset: ScreenPresetId) => {
      this.voice?.screen
        .setPreset(preset)
        .catch((error: unknown) => this.#showNotice(`Could not change the quality: ${String(error)}`));
    },
    watchStream: (userId: string) => this.voice?.screen.watch(userId),
    stopWatching: (userId: string) => this.voice?.screen.unwatch(userId),
    setStreamVolume: (userId: string, volume: number) => this.voice?.screen.setStreamVolume(userId, volume),
    loadScreenSources: () =>
      this.#desktopScreen
        ? this.#desktopScreen.listSources()
        : Promise.reject(new Error('the browser shows its own picker')),
    cancelShare: () => {
      this.#desktopScreen?.cancel().catch(() => undefined);
    },
  };

  #listen(): void {
    const gateway = this.gateway;
    const refresh = () => this.#refresh();
    this.#unsubscribers.push(
      gateway.on('stateChange', refresh),
      gateway.on('ready', (ready) => {
        const channelTopics = ready.spaces.flatMap((space) =>
          space.channels.map((channel) => topics.voice(channel.id)),
        );
        if (channelTopics.length > 0) {
          gateway
            .subscribe(channelTopics)
            .catch((error: unknown) => console.warn('⚠️ subscribe failed', error));
        }
        this.#refresh();
      }),
      gateway.on('heartbeat', ({ rttMs }) => {
        this.#pingMs = rttMs;
        this.#refresh();
      }),
      gateway.on('speaking', ({ userId, speaking }) => this.#setSpeaking(userId, speaking !== 0)),
      gateway.on('serverError', (error) => this.#showNotice(error.message)),
      gateway.on('close', (info) => {
        if (info.action !== 'stop' || info.code === 1000) return;
        const name =
          (closeCodeTable as Record<number, { name: string } | undefined>)[info.code]?.name ??
          String(info.code);
        this.#onEnd({
          reason: info.code === 4004 ? 'authenticationFailed' : info.code === 4014 ? 'removed' : 'closed',
          message:
            info.code === 4004
              ? 'Your session has expired. Please sign in again.'
              : `The server closed the connection (${name}).`,
        });
      }),
      gateway.voiceStates.on('change', (change) => {
        if (change.current === null) this.#speaking.delete(change.userId);
        this.#refresh();
      }),
    );
    const voice = this.voice;
    if (voice) {
      this.#unsubscribers.push(
        voice.on('stateChange', refresh),
        voice.on('peersChange', refresh),
        voice.on('selfStateChange', refresh),
        voice.on('speaking', (userId, speaking) => this.#setSpeaking(userId, speaking)),
        voice.on('inputLevel', (level) => this.inputLevel.setState(level)),
        voice.on('deviceFallback', (fallback) =>
          this.#showNotice(
            `${fallback.lostLabel || 'Your device'} was disconnected; using the system default.`,
          ),
        ),
        voice.on('error', (error) => this.#showNotice(describeJoinError(error))),
        voice.screen.on('change', refresh),
      );
    }
  }

  #setSpeaking(userId: string, speaking: boolean): void {
    if (this.#speaking.has(userId) === speaking) return;
    this.#speaking = new Set(this.#speaking);
    if (speaking) this.#speaking.add(userId);
    else this.#speaking.delete(userId);
    this.#refresh();
  }

  #showNotice(message: string): void {
    this.#notice = message;
    if (this.#noticeTimer) clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => {
      this.#notice = null;
      this.#refresh();
    }, NOTICE_MS);
    this.#refresh();
  }

  #snapshot(): LiveSnapshot {
    const gateway = this.gateway;
    const voice = this.voice;
    const ready = gateway.readyData;
    return {
      user: gateway.user ?? this.#session.user,
      gateway: gateway.state,
      pingMs: this.#pingMs,
      space: ready?.spaces[0] ?? null,
      voiceStates: gateway.voiceStates.all(),
      speaking: this.#speaking,
      voice: voice?.state ?? { status: 'idle' },
      selfMute: voice?.selfMute ?? false,
      selfDeaf: voice?.selfDeaf ?? false,
      peers: voice?.peers() ?? [],
      localAudio: (userId) => ({
        volume: voice?.getUserVolume(userId) ?? 100,
        muted: voice?.isUserMuted(userId) ?? false,
      }),
      notice: this.#notice,
      screen: this.#screenView(),
    };
  }

  #screenView(): ScreenShareView {
    const screen = this.voice?.screen ?? null;
    let audio: ShareAudioView = { offered: false, reason: null };
    if (screen) {
      const plan = screen.audioPlan();
      audio = plan.offered
        ? { offered: true, reason: null }
        : { offered: false, reason: describeShareAudioUnavailable(plan.reason) };
    }
    return screenViewOf(screen, audio, this.#desktopScreen ? 'desktop' : 'browser');
  }

  #refresh(): void {
    this.view.setState(buildMainView(this.#snapshot()));
  }
}
