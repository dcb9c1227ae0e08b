import type { GatewayConnection } from '../GatewayConnection';
import type { GatewaySession } from '../GatewaySession';

export function speaking(connection: GatewayConnection, session: GatewaySession, value: number): void {
  const channelId = session.channelId;
  if (channelId === null) {
    connection.sendError('NOT_IN_VOICE', 'SPEAKING needs the session to be in a voice channel', 13);
    return;
  }
  connection.gateway.announceSpeaking(session.userId, channelId, value);
}
