import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionRecord, ConnectionRegistry } from '../src';

export interface RegistryFactory {
  /** A fresh registry for one node; every registry of one test shares the same backing store. */
  create(nodeId: string): Promise<ConnectionRegistry>;
  /** Clear the backing store between tests. */
  reset(): Promise<void>;
}

let serial = 0;

export function record(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  serial++;
  return {
    connectionId: `c${serial}`,
    sessionId: `s${serial}`,
    userId: `u${serial}`,
    displayName: `User ${serial}`,
    kind: 'desktop',
    channelId: null,
    ip: '127.0.0.1',
    userAgent: 'vitest',
    nodeId: 'node-a',
    connectedAt: 1_000,
    lastSeenAt: 1_000,
    selfMute: false,
    selfDeaf: false,
    streaming: false,
    ...overrides,
  };
}

const flags = { selfMute: false, selfDeaf: false, streaming: false };

/** The one contract every ConnectionRegistry implementation must meet. */
export function registryContract(name: string, factory: RegistryFactory): void {
  describe(`${name}: ConnectionRegistry contract`, () => {
    let registry: ConnectionRegistry;
    const extra: ConnectionRegistry[] = [];

    beforeEach(async () => {
      await factory.reset();
      registry = await factory.create('node-a');
    });
    afterEach(async () => {
      await registry.close();
      for (const other of extra.splice(0)) await other.close();
    });

    it('registers and reads back typed metadata', async () => {
      const r = record({ kind: 'web', userAgent: 'Mozilla/5.0 (X11)', displayName: 'Zoë 🎧' });
      await registry.register(r);
      expect(await registry.get(r.connectionId)).toEqual(r);
      expect(await registry.findSession(r.sessionId)).toEqual(r);
      expect(await registry.get('missing')).toBeNull();
    });

    it('disconnect(connectionId) alone removes the record, its voice state and every index', async () => {
      const r = record({ userId: 'alice' });
      await registry.register(r);
      const joined = await registry.updateVoice(r.connectionId, { channelId: 'general', ...flags }, 0);
      expect(joined.ok).toBe(true);
      const removed = await registry.disconnect(r.connectionId);
      expect(removed).toMatchObject({ connectionId: r.connectionId, channelId: 'general', userId: 'alice' });
      expect(await registry.get(r.connectionId)).toBeNull();
      expect(await registry.findSession(r.sessionId)).toBeNull();
      expect(await registry.voiceMembers(['general'])).toEqual([]);
      expect(await registry.counts()).toEqual({
        total: 0,
        byKind: { desktop: 0, web: 0 },
        byChannel: {},
        byNode: {},
        usersOnline: 0,
      });
      expect(await registry.disconnect(r.connectionId)).toBeNull();
    });

    it('counts connections by kind, channel and node, and users online', async () => {
      const a1 = record({ userId: 'a', kind: 'desktop' });
      const a2 = record({ userId: 'a', kind: 'web', nodeId: 'node-b' });
      const b = record({ userId: 'b', kind: 'web' });
      for (const r of [a1, a2, b]) await registry.register(r);
      await registry.updateVoice(a1.connectionId, { channelId: 'general', ...flags }, 0);
      await registry.updateVoice(b.connectionId, { channelId: 'general', ...flags }, 0);
      expect(await registry.counts()).toEqual({
        total: 3,
        byKind: { desktop: 1, web: 2 },
        byChannel: { general: 2 },
        byNode: { 'node-a': 2, 'node-b': 1 },
        usersOnline: 2,
      });
    });

    it('joins, moves and leaves voice, reporting the previous channel', async () => {
      const r = record();
      await registry.register(r);
      const join = await registry.updateVoice(r.connectionId, { channelId: 'general', ...flags }, 10);
      expect(join).toMatchObject({ ok: true, previousChannelId: null, state: { channelId: 'general' } });
      const move = await registry.updateVoice(
        r.connectionId,
        { channelId: 'gaming', selfMute: true, selfDeaf: false, streaming: true },
        10,
      );
      expect(move).toMatchObject({
        ok: true,
        previousChannelId: 'general',
        state: { channelId: 'gaming', selfMute: true, streaming: true, sessionId: r.sessionId },
      });
      expect((await registry.voiceMembers(['general'])).length).toBe(0);
      expect((await registry.voiceMembers(['gaming'])).map((m) => m.connectionId)).toEqual([r.connectionId]);
      const leave = await registry.updateVoice(r.connectionId, { channelId: null, ...flags }, 0);
      expect(leave).toMatchObject({ ok: true, previousChannelId: 'gaming', state: { channelId: null } });
      expect(await registry.voiceMembers()).toEqual([]);
    });

    it('refuses a full channel but lets members change their flags', async () => {
      const a = record();
      const b = record();
      const c = record();
      for (const r of [a, b, c]) await registry.register(r);
      expect((await registry.updateVoice(a.connectionId, { channelId: 'small', ...flags }, 2)).ok).toBe(true);
      expect((await registry.updateVoice(b.connectionId, { channelId: 'small', ...flags }, 2)).ok).toBe(true);
      expect(await registry.updateVoice(c.connectionId, { channelId: 'small', ...flags }, 2)).toEqual({
        ok: false,
        reason: 'CHANNEL_FULL',
      });
      const mute = await registry.updateVoice(
        b.connectionId,
        { ...flags, channelId: 'small', selfMute: true },
        2,
      );
      expect(mute).toMatchObject({ ok: true, state: { selfMute: true } });
      expect(await registry.updateVoice('nobody', { channelId: 'small', ...flags }, 2)).toEqual({
        ok: false,
        reason: 'UNKNOWN_CONNECTION',
      });
    });

    it('keeps a user in at most one channel across sessions', async () => {
      const desktop = record({ userId: 'carol', displayName: 'Carol' });
      const web = record({ userId: 'carol', displayName: 'Carol', kind: 'web' });
      await registry.register(desktop);
      await registry.register(web);
      await registry.updateVoice(desktop.connectionId, { channelId: 'general', ...flags }, 0);
      const second = await registry.updateVoice(web.connectionId, { channelId: 'gaming', ...flags }, 0);
      expect(second.ok).toBe(true);
      if (!second.ok) return;
      expect(second.evicted).toEqual([
        {
          previousChannelId: 'general',
          nodeId: 'node-a',
          state: expect.objectContaining({ sessionId: desktop.sessionId, channelId: null }),
        },
      ]);
      expect((await registry.voiceMembers()).map((m) => m.connectionId)).toEqual([web.connectionId]);
      // Replacing one's own session in a full channel is not blocked by the limit.
      await registry.updateVoice(web.connectionId, { channelId: 'solo', ...flags }, 1);
      const swap = await registry.updateVoice(desktop.connectionId, { channelId: 'solo', ...flags }, 1);
      expect(swap.ok).toBe(true);
    });

    it('reattaches a session to a new connection and node, keeping its voice state', async () => {
      const r = record({ userId: 'dave' });
      await registry.register(r);
      await registry.updateVoice(r.connectionId, { ...flags, channelId: 'general', selfDeaf: true }, 0);
      const result = await registry.reattach(r.sessionId, {
        connectionId: 'c-new',
        nodeId: 'node-b',
        ip: '10.0.0.2',
        userAgent: 'resumer',
        at: 5_000,
      });
      expect(result).toMatchObject({
        previousConnectionId: r.connectionId,
        previousNodeId: 'node-a',
        record: {
          connectionId: 'c-new',
          nodeId: 'node-b',
          channelId: 'general',
          selfDeaf: true,
          lastSeenAt: 5_000,
        },
      });
      expect(await registry.get(r.connectionId)).toBeNull();
      expect((await registry.voiceMembers(['general'])).map((m) => m.connectionId)).toEqual(['c-new']);
      expect((await registry.counts()).byNode).toEqual({ 'node-b': 1 });
      expect(await registry.disconnect(r.connectionId)).toBeNull();
      expect(
        await registry.reattach('unknown-session', {
          connectionId: 'x',
          nodeId: 'n',
          ip: '',
          userAgent: '',
          at: 1,
        }),
      ).toBeNull();
    });

    it('sweeps only stale entries, touched ones survive', async () => {
      const now = 1_000_000;
      const stale = [record({ lastSeenAt: now - 90_000 }), record({ lastSeenAt: now - 80_000 })];
      const fresh = record({ lastSeenAt: now - 90_000 });
      const live = record({ lastSeenAt: now - 1_000 });
      for (const r of [...stale, fresh, live]) await registry.register(r);
      await registry.updateVoice(stale[0]!.connectionId, { channelId: 'general', ...flags }, 0);
      registry.touch(fresh.connectionId, now - 500);
      await registry.flush();
      const result = await registry.sweep({ staleAfterMs: 60_000, now, batchSize: 1 });
      expect(result.ran).toBe(true);
      expect(result.staleRemoved).toBe(2);
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
      expect(result.removed.map((r) => r.connectionId).sort()).toEqual(
        stale.map((r) => r.connectionId).sort(),
      );
      expect(result.removed.find((r) => r.channelId === 'general')).toBeDefined();
      expect((await registry.counts()).total).toBe(2);
      expect(await registry.voiceMembers(['general'])).toEqual([]);
      expect((await registry.get(fresh.connectionId))?.lastSeenAt).toBe(now - 500);
    });

    it('lists the most recently seen connections first', async () => {
      const old = record({ lastSeenAt: 100 });
      const mid = record({ lastSeenAt: 200 });
      const recent = record({ lastSeenAt: 300 });
      for (const r of [old, mid, recent]) await registry.register(r);
      expect((await registry.list(2)).map((r) => r.connectionId)).toEqual([
        recent.connectionId,
        mid.connectionId,
      ]);
    });

    it('stores, appends and loads replays', async () => {
      expect(await registry.loadReplay('s-none')).toBeNull();
      await registry.saveReplay(
        's-r',
        {
          lastSeq: 2,
          topics: ['general'],
          frames: [
            { seq: 1, frame: '{"a":1}' },
            { seq: 2, frame: '{"a":2}' },
          ],
        },
        60_000,
      );
      registry.appendReplay('s-r', { seq: 3, frame: '{"a":3}' }, 60_000);
      await registry.flush();
      expect(await registry.loadReplay('s-r')).toEqual({
        lastSeq: 3,
        topics: ['general'],
        frames: [
          { seq: 1, frame: '{"a":1}' },
          { seq: 2, frame: '{"a":2}' },
          { seq: 3, frame: '{"a":3}' },
        ],
      });
      await registry.dropReplay('s-r');
      expect(await registry.loadReplay('s-r')).toBeNull();
    });

    it('expires replays after their ttl', async () => {
      await registry.saveReplay('s-ttl', { lastSeq: 1, frames: [{ seq: 1, frame: 'x' }] }, 50);
      await expect.poll(() => registry.loadReplay('s-ttl'), { timeout: 5_000, interval: 25 }).toBeNull();
    });

    it('delivers bus messages to all nodes or to one node', async () => {
      const other = await factory.create('node-b');
      extra.push(other);
      const seenA: string[] = [];
      const seenB: string[] = [];
      registry.onMessage((m) => seenA.push(m));
      other.onMessage((m) => seenB.push(m));
      if (registry.mode === 'memory') {
        // One memory registry is one node: it hears its own messages only.
        registry.publish({ kind: 'all' }, 'hello');
        registry.publish({ kind: 'node', nodeId: 'node-a' }, 'to-a');
        registry.publish({ kind: 'node', nodeId: 'node-b' }, 'to-b');
        await expect.poll(() => seenA, { timeout: 2_000 }).toEqual(['hello', 'to-a']);
        return;
      }
      registry.publish({ kind: 'all' }, 'hello');
      registry.publish({ kind: 'node', nodeId: 'node-b' }, 'to-b');
      await expect.poll(() => seenB, { timeout: 5_000 }).toEqual(['hello', 'to-b']);
      await expect.poll(() => seenA, { timeout: 5_000 }).toEqual(['hello']);
    });

    it('reports its health', async () => {
      const health = await registry.health();
      expect(health.mode).toBe(registry.mode);
      expect(health.connected).toBe(true);
    });
  });
}
