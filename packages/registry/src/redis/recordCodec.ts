import type { ClientKind } from '@miscord/protocol';
import type { ConnectionRecord } from '../types';

/** Hash fields of a record (lastSeenAt lives in the sorted set, not in the hash). */
export function recordFields(record: ConnectionRecord): string[] {
  return [
    'connectionId',
    record.connectionId,
    'sessionId',
    record.sessionId,
    'userId',
    record.userId,
    'displayName',
    record.displayName,
    'kind',
    record.kind,
    'channelId',
    record.channelId ?? '',
    'ip',
    record.ip,
    'userAgent',
    record.userAgent,
    'nodeId',
    record.nodeId,
    'connectedAt',
    String(record.connectedAt),
    'selfMute',
    record.selfMute ? '1' : '0',
    'selfDeaf',
    record.selfDeaf ? '1' : '0',
    'streaming',
    record.streaming ? '1' : '0',
  ];
}

/** A flat HGETALL reply (field, value, …) back into a record; null when fields are missing. */
export function recordFromFlat(flat: readonly string[], lastSeenAt?: number): ConnectionRecord | null {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i] as string, flat[i + 1] as string);
  return recordFromMap(map, lastSeenAt);
}

export function recordFromMap(
  map: ReadonlyMap<string, string>,
  lastSeenAt?: number,
): ConnectionRecord | null {
  const connectionId = map.get('connectionId');
  const sessionId = map.get('sessionId');
  const userId = map.get('userId');
  const nodeId = map.get('nodeId');
  const kind = map.get('kind');
  if (!connectionId || !sessionId || !userId || !nodeId || (kind !== 'desktop' && kind !== 'web'))
    return null;
  const channelId = map.get('channelId') ?? '';
  const seen = lastSeenAt ?? Number(map.get('lastSeenAt') ?? 0);
  return {
    connectionId,
    sessionId,
    userId,
    displayName: map.get('displayName') ?? '',
    kind: kind as ClientKind,
    channelId: channelId === '' ? null : channelId,
    ip: map.get('ip') ?? '',
    userAgent: map.get('userAgent') ?? '',
    nodeId,
    connectedAt: Number(map.get('connectedAt') ?? 0),
    lastSeenAt: Number.isFinite(seen) ? seen : 0,
    selfMute: map.get('selfMute') === '1',
    selfDeaf: map.get('selfDeaf') === '1',
    streaming: map.get('streaming') === '1',
  };
}

export function recordFromHash(hash: Record<string, string>, lastSeenAt?: number): ConnectionRecord | null {
  return recordFromMap(new Map(Object.entries(hash)), lastSeenAt);
}
