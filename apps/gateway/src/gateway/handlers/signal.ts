import type { SignalPayload } from '@miscord/protocol';
import type { GatewayConnection } from '../GatewayConnection';
import type { GatewaySession } from '../GatewaySession';

/**
 * Relay a SIGNAL to one member of the sender's voice channel. Authorised from the node's voice directory
 * (no Redis round trip); `from` is always the sender's user id, stamped here.
 */
export function relaySignal(
  connection: GatewayConnection,
  session: GatewaySession,
  d: SignalPayload['d'],
): void {
  const gateway = connection.gateway;
  const channelId = session.channelId;
  if (channelId === null) {
    connection.sendError('NOT_IN_VOICE', 'SIGNAL needs the session to be in a voice channel', 5);
    return;
  }
  const target = gateway.directory.get(d.to);
  if (!target || target.state.channelId !== channelId || d.to === session.userId) {
    connection.sendError('PEER_NOT_IN_CHANNEL', `user ${d.to} is not in voice channel ${channelId}`, 5);
    return;
  }
  gateway.deliverSignal(target, session.userId, d.data);
}
