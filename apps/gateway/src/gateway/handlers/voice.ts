import { GatewayOp, type VoiceStateUpdatePayload } from '@miscord/protocol';
import type { GatewayConnection } from '../GatewayConnection';
import type { GatewaySession } from '../GatewaySession';

/** Join, move or leave voice. Updates run in order per session; the registry checks the limit atomically. */
export function voiceStateUpdate(
  connection: GatewayConnection,
  session: GatewaySession,
  d: VoiceStateUpdatePayload['d'],
): void {
  const gateway = connection.gateway;
  const op = GatewayOp.VoiceStateUpdate;
  const channel = d.channelId === null ? null : gateway.channels.get(d.channelId);
  if (channel === undefined) {
    connection.sendError('UNKNOWN_CHANNEL', `no voice channel with id ${d.channelId}`, op);
    return;
  }
  session
    .queueVoice(async () => {
      if (session.state.status === 'removed') return;
      const result = await gateway.registry.updateVoice(
        session.connectionId,
        {
          channelId: d.channelId,
          selfMute: d.selfMute,
          selfDeaf: d.selfDeaf,
          streaming: d.streaming ?? false,
        },
        channel?.userLimit ?? 0,
      );
      if (!result.ok) {
        if (result.reason === 'CHANNEL_FULL') {
          connection.sendError(
            'CHANNEL_FULL',
            `voice channel ${d.channelId} is full (${channel?.userLimit} users)`,
            op,
          );
        } else
          connection.sendError('INTERNAL', 'the session is not registered; resume or identify again', op);
        return;
      }
      for (const evicted of result.evicted)
        gateway.announceVoice(evicted.state, evicted.previousChannelId, evicted.nodeId);
      gateway.announceVoice(result.state, result.previousChannelId, gateway.nodeId);
      connection.log.debug({ channelId: result.state.channelId }, 'voice state updated');
    })
    .catch((error: unknown) => connection.internalError(error, op));
}
