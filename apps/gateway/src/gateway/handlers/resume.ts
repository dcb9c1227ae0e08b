import { CloseCode, GatewayOp, type ResumePayload } from '@miscord/protocol';
import type { ReplayFrame } from '@miscord/registry';
import type { BusMessage } from '../busMessages';
import type { GatewayConnection } from '../GatewayConnection';
import { ReplayBuffer } from '../ReplayBuffer';

/** How long a resuming node waits for the holding node to hand a session over. */
const RELEASE_WAIT_MS = 2_000;

/**
 * The stored replay of a session held by another node. If that node still holds it attached (a
 * zombie socket it has not noticed yet), ask it to let go and write the replay; wait a moment for it.
 */
async function replayOf(connection: GatewayConnection, sessionId: string, holder: string) {
  const gateway = connection.gateway;
  const stored = await gateway.registry.loadReplay(sessionId);
  if (stored || holder === gateway.nodeId) return stored;
  const release: BusMessage = { k: 'release', sessionId };
  gateway.registry.publish({ kind: 'node', nodeId: holder }, JSON.stringify(release));
  const deadline = Date.now() + RELEASE_WAIT_MS;
  while (Date.now() < deadline && connection.isOpen) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const released = await gateway.registry.loadReplay(sessionId);
    if (released) return released;
  }
  return null;
}

/** The session cannot be continued: tell the client to IDENTIFY (on this socket). */
function invalidSession(connection: GatewayConnection, why: string): void {
  connection.log.info({ why }, 'resume refused');
  connection.send({ op: GatewayOp.InvalidSession, d: false }, 'INVALID_SESSION');
  connection.backToHello();
}

/** The client saw dispatches the session never kept: it cannot continue; close 4007 (it re-identifies). */
function seqAhead(connection: GatewayConnection, seq: number, lastSent: number): void {
  const why = `RESUME seq ${seq} is ahead of the last sent ${lastSent}`;
  connection.log.info({ why }, 'resume refused');
  connection.close(CloseCode.InvalidSeq, why);
}

/**
 * RESUME: continue a session held by this node (detached, or attached to a zombie socket) or by another
 * node (its replay was written to the registry). Missed dispatches are replayed, then RESUMED.
 * The session keeps its voice state: nobody else sees a leave/join.
 */
export async function resume(connection: GatewayConnection, d: ResumePayload['d']): Promise<void> {
  const gateway = connection.gateway;
  const check = gateway.tokens.verify(d.token);
  if (!check.ok) {
    connection.close(CloseCode.AuthenticationFailed, `token is ${check.reason}`);
    return;
  }
  const userId = check.claims.userId;
  const attach = {
    connectionId: connection.id,
    nodeId: gateway.nodeId,
    ip: connection.ip,
    userAgent: connection.userAgent,
  };
  const local = gateway.sessions.get(d.sessionId);
  let missed: ReplayFrame[] | null;
  if (local) {
    if (local.userId !== userId) return invalidSession(connection, 'session belongs to another user');
    if (d.seq > local.seq) return seqAhead(connection, d.seq, local.seq);
    missed = local.replay.since(d.seq);
    if (!missed) {
      await gateway.removeSession(local, 'replay gap');
      return invalidSession(connection, 'missed dispatches are no longer buffered');
    }
    const moved = await gateway.registry.reattach(d.sessionId, { ...attach, at: Date.now() });
    if (!moved) {
      await gateway.removeSession(local, 'registry lost the session');
      return invalidSession(connection, 'session expired');
    }
    // From here the registry knows the session by the new connection id, even if this socket dies now.
    local.connectionId = moved.record.connectionId;
    if (!connection.isOpen) return;
    gateway.takeOver(local, connection, moved.record.connectionId);
    // A replay written when the socket dropped is stale now; the session writes a new one if it drops again.
    if (gateway.clustered) {
      gateway.registry
        .dropReplay(local.id)
        .catch((error: unknown) => connection.log.warn({ err: error }, 'dropReplay failed'));
    }
  } else {
    const record = await gateway.registry.findSession(d.sessionId);
    if (!record || record.userId !== userId) return invalidSession(connection, 'unknown or expired session');
    const stored = await replayOf(connection, record.sessionId, record.nodeId);
    if (!stored) {
      // Without the dispatches it missed the session cannot continue without gaps; end it cleanly.
      await gateway.removeRecord(record.connectionId);
      return invalidSession(connection, 'no replay stored for the session');
    }
    if (d.seq > stored.lastSeq) return seqAhead(connection, d.seq, stored.lastSeq);
    const replay = ReplayBuffer.from(stored.frames, gateway.replayCapacity, stored.lastSeq);
    missed = replay.since(d.seq);
    if (!missed) {
      await gateway.removeRecord(record.connectionId);
      return invalidSession(connection, 'missed dispatches are no longer buffered');
    }
    const moved = await gateway.registry.reattach(d.sessionId, { ...attach, at: Date.now() });
    if (!moved) return invalidSession(connection, 'session expired');
    await gateway.registry.dropReplay(d.sessionId);
    if (!connection.isOpen) {
      // The socket died while resuming: nobody holds the session any more.
      await gateway.removeRecord(moved.record.connectionId);
      return;
    }
    connection.kind = record.kind;
    gateway.adoptSession(
      moved.record,
      replay,
      stored.lastSeq,
      connection,
      moved.previousNodeId,
      stored.topics,
    );
  }
  const session = connection.session;
  if (!session) return;
  for (const frame of missed) {
    gateway.metrics.frameOut('REPLAYED');
    connection.sendFrame(frame.frame);
  }
  session.dispatch('RESUMED', { replayed: missed.length });
  connection.log.info({ replayed: missed.length, seq: d.seq }, 'resumed');
}
