import { CloseCode, GatewayOp } from '@miscord/protocol';
import { leftVoiceOf } from '@miscord/registry';
import type { Gateway } from './Gateway';
import { SessionStatus } from './GatewaySession';

export interface SweepReport {
  readonly ran: boolean;
  readonly staleRemoved: number;
  readonly durationMs: number;
}

/** One reaper pass over the registry; every removed entry's channel is told (on every node). */
export async function sweepStale(gateway: Gateway, staleAfterMs: number): Promise<SweepReport> {
  const result = await gateway.registry.sweep({ staleAfterMs });
  if (!result.ran) return { staleRemoved: 0, durationMs: result.durationMs, ran: false };
  for (const record of result.removed) {
    const local = gateway.sessions.get(record.sessionId);
    if (local) {
      local.state = { status: SessionStatus.Removed };
      gateway.forgetSession(local);
    }
    if (record.channelId) gateway.announceVoice(leftVoiceOf(record), record.channelId, record.nodeId);
  }
  gateway.metrics.swept(result.staleRemoved, result.durationMs);
  return { staleRemoved: result.staleRemoved, durationMs: result.durationMs, ran: true };
}

/**
 * Drain a node: no new sessions, every session kept resumable (cluster mode: its replay written to the
 * registry first, so another node can continue it), RECONNECT + close 1001 to every client, final flush.
 *
 * Every session is detached from its socket before its replay is saved: a dispatch made while the saves
 * run (a SPEAKING, a SIGNAL) is kept for the replay, not sent. Sent during the save, it would leave the
 * client ahead of the stored replay, and its RESUME would be refused (INVALID_SEQ). The sockets stay open
 * (heartbeats are still acknowledged) until the replays are written; then each client is told to reconnect.
 */
export async function drainNode(gateway: Gateway): Promise<void> {
  gateway.state = 'draining';
  gateway.stopTimers();
  const connections = [...gateway.connections];
  for (const connection of connections) {
    const session = connection.session;
    if (session) gateway.sessionLostSocket(session, connection, true);
  }
  // The node is going away: no removal timers; another node (or the reaper) takes over.
  for (const session of gateway.sessions.values()) {
    const state = session.state;
    if (state.status === SessionStatus.Detached && state.timer) {
      session.state = { status: SessionStatus.Detached, since: state.since, timer: null };
    }
  }
  if (gateway.clustered) {
    // persistReplay runs a bounded number of saves at a time; a failed one is logged, the rest go on.
    const saves = [...gateway.sessions.values()].map((session) =>
      gateway
        .persistReplay(session)
        .catch((error: unknown) =>
          gateway.log.warn({ err: error, sessionId: session.id }, 'saving a replay while draining failed'),
        ),
    );
    await Promise.all(saves);
  }
  for (const connection of connections) {
    connection.send({ op: GatewayOp.Reconnect, d: null }, 'RECONNECT');
    connection.close(CloseCode.GoingAway, 'node draining; reconnect and resume');
  }
  await gateway.registry
    .flush()
    .catch((error: unknown) => gateway.log.warn({ err: error }, 'final flush failed'));
}
