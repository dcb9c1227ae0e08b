import type { SignalData, VoiceState } from '@miscord/protocol';
import type { Gateway } from './Gateway';

/** Messages between gateway nodes over the registry bus (Redis pub/sub in cluster mode). */
export type BusMessage =
  /** A voice state changed; every node updates its directory and tells its local recipients. */
  | { k: 'voice'; origin: string; nodeId: string; state: VoiceState; previousChannelId: string | null }
  | { k: 'speaking'; origin: string; userId: string; channelId: string; speaking: number }
  /** A session was resumed on `nodeId`; `previousNodeId` drops its detached copy. */
  | { k: 'attach'; origin: string; userId: string; sessionId: string; nodeId: string; previousNodeId: string }
  /** Another node is resuming this session: detach it from its (zombie) socket and write its replay. */
  | { k: 'release'; sessionId: string }
  /** A SIGNAL for a session held by the receiving node. */
  | { k: 'signal'; to: string; from: string; data: SignalData };

const kinds = new Set(['voice', 'speaking', 'attach', 'signal', 'release']);

/** Parse a bus message; null when it is not one (another deployment on the same Redis, corruption). */
export function parseBusMessage(text: string): BusMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const k = (value as { k?: unknown }).k;
  return typeof k === 'string' && kinds.has(k) ? (value as BusMessage) : null;
}

/** Act on a message from another node (a node ignores the echoes of its own broadcasts). */
export function handleBusMessage(gateway: Gateway, message: BusMessage): void {
  switch (message.k) {
    case 'signal':
      gateway.sessions.get(message.to)?.dispatch('SIGNAL', { from: message.from, data: message.data });
      return;
    case 'voice':
      if (message.origin !== gateway.nodeId)
        gateway.applyVoice(message.state, message.previousChannelId, message.nodeId);
      return;
    case 'speaking':
      if (message.origin !== gateway.nodeId)
        gateway.applySpeaking(message.userId, message.channelId, message.speaking);
      return;
    case 'release': {
      // Another node resumes a session held here on a socket that looks alive: detach it (its replay is
      // written to the registry), then close the zombie socket.
      const session = gateway.sessions.get(message.sessionId);
      const state = session?.state;
      if (!session || state?.status !== 'attached') return;
      gateway.sessionLostSocket(session, state.connection, true);
      state.connection.close(4014, 'session resumed on another node');
      return;
    }
    case 'attach':
      if (message.origin === gateway.nodeId) return;
      gateway.directory.moveSession(message.userId, message.sessionId, message.nodeId);
      gateway.dropMovedSession(message.sessionId);
      return;
  }
}
