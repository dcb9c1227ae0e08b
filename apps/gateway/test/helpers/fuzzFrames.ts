import { defaultLimits, GatewayOp } from '@miscord/protocol';

/** mulberry32: a small seeded PRNG so a failing run can be replayed with the same FUZZ_SEED. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzFrame {
  readonly data: string | Buffer;
  readonly binary: boolean;
  readonly kind: string;
}

export interface FuzzContext {
  /** User ids a SIGNAL may name (members and strangers). */
  readonly userIds: readonly string[];
  readonly token: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function fuzzer(random: () => number, context: FuzzContext) {
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chars = 'abcXYZ019 _-:.{}[]",\\/\u00e9\u4e2d\ud83c\udfa7\u200b\u0000\n';
  const text = (max: number) => Array.from({ length: int(max) }, () => pick([...chars])).join('');

  const anyJson = (depth = 0): Json => {
    switch (int(depth > 3 ? 5 : 8)) {
      case 0:
        return null;
      case 1:
        return random() < 0.5;
      case 2:
        return pick([0, -1, 1.5, 2 ** 53, -(2 ** 60), 1e308, 4, 5, 13]);
      case 3:
        return text(20);
      case 4:
        return pick(['voice:general', 'general', 'offer', 'candidate', context.token, ...context.userIds]);
      case 5:
        return Array.from({ length: int(4) }, () => anyJson(depth + 1));
      default: {
        const object: Record<string, Json> = {};
        for (let i = int(4); i > 0; i--) {
          object[pick(['op', 'd', 'to', 'data', 'type', 'sdp', 'channelId', 'id', 'topics', text(6)])] =
            anyJson(depth + 1);
        }
        return object;
      }
    }
  };

  const validPayloads = (): Record<string, Json>[] => [
    { op: GatewayOp.Heartbeat, d: 0 },
    { op: GatewayOp.Heartbeat, d: 1_000_000 },
    { op: GatewayOp.Identify, d: { token: context.token, kind: 'web', version: '1', platform: 'fuzz' } },
    { op: GatewayOp.Resume, d: { token: context.token, sessionId: 's_x', seq: 0 } },
    {
      op: GatewayOp.VoiceStateUpdate,
      d: {
        channelId: pick(['general', 'gaming', 'duo', 'nope', null]),
        selfMute: false,
        selfDeaf: random() < 0.5,
      },
    },
    { op: GatewayOp.Signal, d: { to: pick(context.userIds), data: { type: 'offer', sdp: 'v=0\r\n' } } },
    {
      op: GatewayOp.Signal,
      d: {
        to: pick(context.userIds),
        data: {
          type: 'candidate',
          candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 },
        },
      },
    },
    {
      op: GatewayOp.Signal,
      d: { to: pick(context.userIds), data: { type: 'renegotiate', renegotiate: true } },
    },
    {
      op: GatewayOp.Subscribe,
      d: { id: text(8) || 'x', topics: [pick(['voice:general', 'voice:gaming', 'voice:nope'])] },
    },
    { op: GatewayOp.Unsubscribe, d: { id: 'u', topics: ['voice:general'] } },
    { op: GatewayOp.Speaking, d: { speaking: int(4) } },
  ];

  /** Change one thing in a valid payload: a key removed, retyped or added, a value made huge. */
  const mutate = (payload: Record<string, Json>): Record<string, Json> => {
    const copy = structuredClone(payload) as Record<string, Json>;
    const target =
      typeof copy.d === 'object' && copy.d !== null && !Array.isArray(copy.d) && random() < 0.8
        ? (copy.d as Record<string, Json>)
        : copy;
    const keys = Object.keys(target);
    switch (int(6)) {
      case 0:
        if (keys.length > 0) delete target[pick(keys)];
        break;
      case 1:
        if (keys.length > 0) target[pick(keys)] = anyJson(1);
        break;
      case 2:
        target[text(5) || 'extra'] = anyJson(2);
        break;
      case 3:
        if (keys.length > 0) target[pick(keys)] = 'x'.repeat(pick([65, 1025, 3000, 20_000]));
        break;
      case 4:
        copy.op = pick([-1, 3, 14, 16, 255, 2 ** 31, 1.5]) as Json;
        break;
      default:
        copy.d = anyJson(0);
    }
    return copy;
  };

  return function next(): FuzzFrame {
    const roll = random();
    if (roll < 0.04) {
      return {
        data: Buffer.from(Array.from({ length: int(64) + 1 }, () => int(256))),
        binary: true,
        kind: 'binary',
      };
    }
    if (roll < 0.1) return { data: text(40), binary: false, kind: 'text' };
    if (roll < 0.16) return { data: JSON.stringify(anyJson(0)), binary: false, kind: 'json' };
    if (roll < 0.19) {
      const size = pick([
        defaultLimits.maxControlBytes + 10,
        defaultLimits.maxSignalBytes + 10,
        defaultLimits.maxFrameBytes + 10,
      ]);
      return {
        data: JSON.stringify({ op: pick([1, 4, 5, 13]), d: 'y'.repeat(size) }),
        binary: false,
        kind: 'oversize',
      };
    }
    if (roll < 0.3) return { data: JSON.stringify(pick(validPayloads())), binary: false, kind: 'valid' };
    return { data: JSON.stringify(mutate(pick(validPayloads()))), binary: false, kind: 'mutated' };
  };
}
