import { CloseCode, type IdentifyPayload } from '@miscord/protocol';
import { newId } from '../../auth/tokens';
import type { GatewayConnection } from '../GatewayConnection';

/** IDENTIFY: check the token, register a new session and send READY. */
export async function identify(connection: GatewayConnection, d: IdentifyPayload['d']): Promise<void> {
  const gateway = connection.gateway;
  const check = gateway.tokens.verify(d.token);
  if (!check.ok) {
    connection.close(CloseCode.AuthenticationFailed, `token is ${check.reason}`);
    return;
  }
  const { userId, displayName } = check.claims;
  connection.kind = d.kind;
  const now = Date.now();
  const sessionId = newId('s');
  await gateway.registry.register({
    connectionId: connection.id,
    sessionId,
    userId,
    displayName,
    kind: d.kind,
    channelId: null,
    ip: connection.ip,
    userAgent: connection.userAgent,
    nodeId: gateway.nodeId,
    connectedAt: connection.connectedAt,
    lastSeenAt: now,
    selfMute: false,
    selfDeaf: false,
    streaming: false,
  });
  if (!connection.isOpen) {
    await gateway.registry.disconnect(connection.id);
    return;
  }
  const session = gateway.createSession(
    { id: sessionId, userId, displayName, kind: d.kind, connectionId: connection.id },
    connection,
  );
  connection.becomeReady(session);
  session.dispatch('READY', {
    sessionId: session.id,
    user: { id: userId, displayName },
    spaces: gateway.spaces,
    voiceStates: gateway.directory.states(),
    iceServers: gateway.iceServers,
    limits: gateway.readyLimits,
  });
  connection.log.info({ kind: d.kind, platform: d.platform, version: d.version }, 'identified');
}
