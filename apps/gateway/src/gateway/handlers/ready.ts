import { type ClientPayload, GatewayOp } from '@miscord/protocol';
import type { GatewayConnection } from '../GatewayConnection';
import type { GatewaySession } from '../GatewaySession';
import { Bucket } from '../RateLimiter';
import { relaySignal } from './signal';
import { speaking } from './speaking';
import { subscribe, unsubscribe } from './subscribe';
import { voiceStateUpdate } from './voice';

/** Frames of an authenticated connection (HEARTBEAT is handled before this, in every status). */
export function handleReadyFrame(
  connection: GatewayConnection,
  session: GatewaySession,
  message: ClientPayload,
): void {
  switch (message.op) {
    case GatewayOp.Signal: {
      const wait = connection.limiter.take(Bucket.Signal, Date.now());
      if (wait > 0) {
        connection.gateway.metrics.rateLimited('signal');
        connection.close(4008, `SIGNAL rate limit exceeded; retry in ${wait} ms`);
        return;
      }
      relaySignal(connection, session, message.d);
      return;
    }
    case GatewayOp.Speaking: {
      const wait = connection.limiter.take(Bucket.Speaking, Date.now());
      if (wait > 0) {
        connection.gateway.metrics.rateLimited('speaking');
        connection.sendError('RATE_LIMITED', 'SPEAKING sent too often; frame dropped', message.op, {
          retryAfterMs: wait,
        });
        return;
      }
      speaking(connection, session, message.d.speaking);
      return;
    }
    case GatewayOp.VoiceStateUpdate:
      if (!connection.takeControl(message.op)) return;
      voiceStateUpdate(connection, session, message.d);
      return;
    case GatewayOp.Subscribe:
    case GatewayOp.Unsubscribe: {
      if (!connection.takeControl(message.op)) return;
      const wait = connection.limiter.take(Bucket.Subscribe, Date.now());
      if (wait > 0) {
        connection.gateway.metrics.rateLimited('subscribe');
        connection.sendError('RATE_LIMITED', 'too many SUBSCRIBE/UNSUBSCRIBE requests', message.op, {
          id: message.d.id,
          retryAfterMs: wait,
        });
        return;
      }
      if (message.op === GatewayOp.Subscribe) subscribe(connection, session, message.d);
      else unsubscribe(connection, session, message.d);
      return;
    }
    case GatewayOp.Identify:
    case GatewayOp.Resume:
      connection.close(
        4005,
        `${message.op === GatewayOp.Identify ? 'IDENTIFY' : 'RESUME'} on an authenticated connection`,
      );
      return;
    case GatewayOp.Heartbeat:
      return;
  }
}
