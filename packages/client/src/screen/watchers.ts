/**
 * 🖥️ Opt-in watching, as in Discord's "Go Live": a share costs upload only for the members who chose to
 * watch it. This is the pure model: a reducer from events (local clicks, peers coming and going, messages
 * from peers) to a new model plus what to do — per-peer send actions and messages to send.
 *
 * ## Wire
 * Watch requests travel peer to peer over the simple-peer data channel (messages.ts), not through the
 * gateway: no protocol change, no SIGNAL rate-limit budget spent on clicks, and the request arrives on the
 * very connection whose media it controls. The gateway's VOICE_STATE `streaming` flag still tells every
 * member (including those not yet connected to the sharer) that a share exists. Each share has a random
 * `shareId`; a request naming another id (an earlier share) is answered with `screen.end` so the viewer's
 * UI catches up, and never starts media.
 *
 * ## How the sender keeps video from non-watchers
 * The share's tracks are added to every peer connection when the share starts (one renegotiation, offered
 * by the initiator of each pair only, so two members starting at once cannot glare — E2E-RECIPE §5), and
 * then gated per peer by the actions below. Three ways to gate, and why the first is the default:
 * - `encodings[].active = false` through `sender.setParameters` (sendGate.ts): no renegotiation and no
 *   signalling, takes effect at once, the encoder for that peer stops (no CPU, no bytes), and the track
 *   stays attached, so simple-peer's own track/sender bookkeeping is untouched. Resuming costs one keyframe,
 *   requested by the viewer's decoder automatically. The receiver sees its track muted, not ended.
 * - `sender.replaceTrack(null)`: same cost profile, but simple-peer tracks senders by track, so putting the
 *   track back has to bypass `peer.replaceTrack`; and a null track makes `getStats` lose the media source.
 * - transceiver direction `sendonly` ↔ `inactive`: the cleanest SDP semantics (the receiver is told), but
 *   every toggle is a renegotiation: two to four gateway round trips (a non-initiator must ask the initiator
 *   with `renegotiate`), SDP churn, and toggles that race each other. Worth it only if idle m-lines mattered.
 * The screen-audio track, when there is one, follows the video: a `sendVideo`/`stopVideo` action applies to
 * both senders of the share for that peer.
 */
import { type ScreenMessage, type ScreenShareMessage, screenMessage } from './messages';
import type { ScreenPresetId } from './presets';

export interface LocalShare {
  readonly shareId: string;
  /** The MediaStream id its tracks carry. */
  readonly streamId: string;
  readonly preset: ScreenPresetId;
  readonly audio: boolean;
  /** Peers that asked to watch and get media. */
  readonly watchers: ReadonlySet<string>;
}

export interface RemoteShare {
  readonly shareId: string;
  /** The MediaStream id of its tracks at this member's end. */
  readonly streamId: string;
  readonly preset: ScreenPresetId;
  readonly audio: boolean;
  /** As last announced by the sharer (`screen.viewers`). */
  readonly viewers: readonly string[];
}

export interface WatchModel {
  readonly selfId: string;
  /** Peers whose data channel is open (messages can reach them). */
  readonly peers: ReadonlySet<string>;
  readonly local: LocalShare | null;
  /** Shares of other members, by sharer id. */
  readonly remote: ReadonlyMap<string, RemoteShare>;
  /** Shares this member asked to watch: sharer id → share id. */
  readonly watching: ReadonlyMap<string, string>;
}

export type WatchEvent =
  /** The local user went live (after getDisplayMedia and adding the tracks to every peer). */
  | {
      readonly type: 'shareStarted';
      readonly shareId: string;
      readonly streamId: string;
      readonly preset: ScreenPresetId;
      readonly audio: boolean;
    }
  /** Quality or audio changed during the share. */
  | { readonly type: 'shareUpdated'; readonly preset: ScreenPresetId; readonly audio: boolean }
  /** Stopped from the app, or the track ended (the system's "stop sharing"). */
  | { readonly type: 'shareStopped' }
  | { readonly type: 'peerConnected'; readonly peer: string }
  | { readonly type: 'peerDisconnected'; readonly peer: string }
  | { readonly type: 'received'; readonly from: string; readonly message: ScreenMessage }
  /** The local user clicked "Watch" / "Stop watching" on someone's share. */
  | { readonly type: 'watch'; readonly sharer: string }
  | { readonly type: 'unwatch'; readonly sharer: string };

/** Start or stop sending the local share's media (video and screen audio) to one peer. */
export interface SendAction {
  readonly peer: string;
  readonly action: 'sendVideo' | 'stopVideo';
}

export interface OutgoingMessage {
  readonly to: string;
  readonly message: ScreenMessage;
}

export interface WatchTransition {
  readonly model: WatchModel;
  readonly actions: readonly SendAction[];
  readonly messages: readonly OutgoingMessage[];
  /** Why an event changed nothing, for a 🖥️ debug line (a stale request, an unknown peer…). */
  readonly ignored?: string;
}

export function emptyWatchModel(selfId: string): WatchModel {
  return { selfId, peers: new Set(), local: null, remote: new Map(), watching: new Map() };
}

/** Peers the local share's media goes to: exactly its watchers. */
export function sendingTo(model: WatchModel): ReadonlySet<string> {
  return model.local?.watchers ?? new Set();
}

/** The screen part of `voice.getDebugInfo()`: who gets our share, and the shares we see. */
export interface ScreenWatchDebugInfo {
  readonly sharing: {
    readonly shareId: string;
    readonly preset: ScreenPresetId;
    readonly audio: boolean;
    readonly watchers: readonly string[];
  } | null;
  readonly shares: ReadonlyArray<{
    readonly sharer: string;
    readonly shareId: string;
    readonly streamId: string;
    readonly preset: ScreenPresetId;
    readonly audio: boolean;
    readonly viewers: readonly string[];
    readonly watching: boolean;
  }>;
}

export function watchDebugInfo(model: WatchModel): ScreenWatchDebugInfo {
  const local = model.local;
  return {
    sharing: local
      ? {
          shareId: local.shareId,
          preset: local.preset,
          audio: local.audio,
          watchers: [...local.watchers].sort(),
        }
      : null,
    shares: [...model.remote.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([sharer, share]) => ({
        sharer,
        shareId: share.shareId,
        streamId: share.streamId,
        preset: share.preset,
        audio: share.audio,
        viewers: [...share.viewers],
        watching: model.watching.get(sharer) === share.shareId,
      })),
  };
}

const unchanged = (model: WatchModel, ignored: string): WatchTransition => ({
  model,
  actions: [],
  messages: [],
  ignored,
});

const toAll = (peers: Iterable<string>, message: ScreenMessage): OutgoingMessage[] =>
  [...peers].map((to) => ({ to, message }));

function shareAnnouncement(share: LocalShare): ScreenShareMessage {
  return screenMessage({
    type: 'screen.share',
    shareId: share.shareId,
    streamId: share.streamId,
    preset: share.preset,
    audio: share.audio,
  }) as ScreenShareMessage;
}

const viewersOf = (share: LocalShare): ScreenMessage =>
  screenMessage({ type: 'screen.viewers', shareId: share.shareId, viewers: [...share.watchers].sort() });

function without<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

function stopLocalShare(model: WatchModel): WatchTransition {
  const share = model.local;
  if (!share) return unchanged(model, 'no share to stop');
  return {
    model: { ...model, local: null },
    actions: [...share.watchers].map((peer) => ({ peer, action: 'stopVideo' as const })),
    messages: toAll(model.peers, screenMessage({ type: 'screen.end', shareId: share.shareId })),
  };
}

function setWatchers(model: WatchModel, share: LocalShare, watchers: Set<string>): WatchModel {
  return { ...model, local: { ...share, watchers } };
}

/** The whole model: one event in, the next model and the work to do out. Pure; never throws. */
export function reduceWatch(model: WatchModel, event: WatchEvent): WatchTransition {
  switch (event.type) {
    case 'shareStarted': {
      // A new share replaces a running one (the app should stop first; be total anyway).
      const ended = model.local ? stopLocalShare(model) : { model, actions: [], messages: [] };
      const share: LocalShare = {
        shareId: event.shareId,
        streamId: event.streamId,
        preset: event.preset,
        audio: event.audio,
        watchers: new Set(),
      };
      return {
        model: { ...ended.model, local: share },
        actions: ended.actions,
        messages: [...ended.messages, ...toAll(model.peers, shareAnnouncement(share))],
      };
    }
    case 'shareUpdated': {
      if (!model.local) return unchanged(model, 'no share to update');
      const share = { ...model.local, preset: event.preset, audio: event.audio };
      return {
        model: { ...model, local: share },
        actions: [],
        messages: toAll(model.peers, shareAnnouncement(share)),
      };
    }
    case 'shareStopped':
      return stopLocalShare(model);
    case 'peerConnected': {
      if (event.peer === model.selfId) return unchanged(model, 'a peer cannot be ourselves');
      if (model.peers.has(event.peer)) return unchanged(model, `${event.peer} already connected`);
      const next = { ...model, peers: new Set([...model.peers, event.peer]) };
      const messages = next.local
        ? [
            { to: event.peer, message: shareAnnouncement(next.local) },
            { to: event.peer, message: viewersOf(next.local) },
          ]
        : [];
      return { model: next, actions: [], messages };
    }
    case 'peerDisconnected': {
      if (!model.peers.has(event.peer)) return unchanged(model, `${event.peer} was not connected`);
      const peers = new Set(model.peers);
      peers.delete(event.peer);
      let next: WatchModel = {
        ...model,
        peers,
        remote: without(model.remote, event.peer),
        watching: without(model.watching, event.peer),
      };
      const share = model.local;
      if (!share?.watchers.has(event.peer)) return { model: next, actions: [], messages: [] };
      const watchers = new Set(share.watchers);
      watchers.delete(event.peer);
      next = setWatchers(next, share, watchers);
      return {
        model: next,
        actions: [{ peer: event.peer, action: 'stopVideo' }],
        messages: next.local ? toAll(peers, viewersOf(next.local)) : [],
      };
    }
    case 'watch': {
      const share = model.remote.get(event.sharer);
      if (!share) return unchanged(model, `${event.sharer} is not sharing`);
      if (model.watching.get(event.sharer) === share.shareId) {
        return unchanged(model, `already watching ${event.sharer}`);
      }
      return {
        model: { ...model, watching: new Map([...model.watching, [event.sharer, share.shareId]]) },
        actions: [],
        messages: [
          { to: event.sharer, message: screenMessage({ type: 'screen.watch', shareId: share.shareId }) },
        ],
      };
    }
    case 'unwatch': {
      const shareId = model.watching.get(event.sharer);
      if (shareId === undefined) return unchanged(model, `not watching ${event.sharer}`);
      return {
        model: { ...model, watching: without(model.watching, event.sharer) },
        actions: [],
        messages: [{ to: event.sharer, message: screenMessage({ type: 'screen.unwatch', shareId }) }],
      };
    }
    case 'received':
      if (!model.peers.has(event.from)) {
        return unchanged(model, `${event.message.type} from ${event.from}, who is not connected`);
      }
      return receive(model, event.from, event.message);
  }
}

function receive(model: WatchModel, from: string, message: ScreenMessage): WatchTransition {
  switch (message.type) {
    case 'screen.watch': {
      const share = model.local;
      if (!share || share.shareId !== message.shareId) {
        // The viewer asked for a share that is over: tell it, so its Watch button resets.
        return {
          model,
          actions: [],
          messages: [{ to: from, message: screenMessage({ type: 'screen.end', shareId: message.shareId }) }],
          ignored: `watch of ended share ${message.shareId} from ${from}`,
        };
      }
      if (share.watchers.has(from)) return unchanged(model, `${from} already watches`);
      const next = setWatchers(model, share, new Set([...share.watchers, from]));
      return {
        model: next,
        actions: [{ peer: from, action: 'sendVideo' }],
        messages: next.local ? toAll(model.peers, viewersOf(next.local)) : [],
      };
    }
    case 'screen.unwatch': {
      const share = model.local;
      if (!share || share.shareId !== message.shareId || !share.watchers.has(from)) {
        return unchanged(model, `unwatch of ${message.shareId} from ${from}, who was not watching it`);
      }
      const watchers = new Set(share.watchers);
      watchers.delete(from);
      const next = setWatchers(model, share, watchers);
      return {
        model: next,
        actions: [{ peer: from, action: 'stopVideo' }],
        messages: next.local ? toAll(model.peers, viewersOf(next.local)) : [],
      };
    }
    case 'screen.share': {
      const previous = model.remote.get(from);
      const viewers = previous?.shareId === message.shareId ? previous.viewers : [];
      const remote = new Map(model.remote);
      remote.set(from, {
        shareId: message.shareId,
        streamId: message.streamId,
        preset: message.preset,
        audio: message.audio,
        viewers,
      });
      // A new share from the same member replaces the old one; watching does not carry over.
      const watchingOld = model.watching.has(from) && model.watching.get(from) !== message.shareId;
      return {
        model: { ...model, remote, watching: watchingOld ? without(model.watching, from) : model.watching },
        actions: [],
        messages: [],
      };
    }
    case 'screen.end': {
      const current = model.remote.get(from);
      const watched = model.watching.get(from);
      if (current?.shareId !== message.shareId && watched !== message.shareId) {
        return unchanged(model, `end of unknown share ${message.shareId} from ${from}`);
      }
      return {
        model: {
          ...model,
          remote: current?.shareId === message.shareId ? without(model.remote, from) : model.remote,
          watching: watched === message.shareId ? without(model.watching, from) : model.watching,
        },
        actions: [],
        messages: [],
      };
    }
    case 'screen.viewers': {
      const current = model.remote.get(from);
      if (current?.shareId !== message.shareId) {
        return unchanged(model, `viewers of unknown share ${message.shareId} from ${from}`);
      }
      const remote = new Map(model.remote);
      remote.set(from, { ...current, viewers: message.viewers });
      return { model: { ...model, remote }, actions: [], messages: [] };
    }
  }
}
