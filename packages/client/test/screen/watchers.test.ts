import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeScreenMessage, encodeScreenMessage, screenMessage } from '../../src/screen/messages';
import {
  emptyWatchModel,
  type OutgoingMessage,
  reduceWatch,
  type SendAction,
  sendingTo,
  type WatchEvent,
  type WatchModel,
  watchDebugInfo,
} from '../../src/screen/watchers';

/** Apply events in order, collecting what the model asked for. */
function run(model: WatchModel, events: WatchEvent[]) {
  const actions: SendAction[] = [];
  const messages: OutgoingMessage[] = [];
  for (const event of events) {
    const step = reduceWatch(model, event);
    model = step.model;
    actions.push(...step.actions);
    messages.push(...step.messages);
  }
  return { model, actions, messages };
}

const connected = (self: string, ...peers: string[]) =>
  run(
    emptyWatchModel(self),
    peers.map((peer) => ({ type: 'peerConnected', peer })),
  ).model;

const share = {
  type: 'shareStarted',
  shareId: 's1',
  streamId: 'st-s1',
  preset: '1080p30',
  audio: false,
} as const;
const from = (peer: string, message: ReturnType<typeof screenMessage>): WatchEvent => ({
  type: 'received',
  from: peer,
  message,
});

describe('sharer side', () => {
  it('announces a share to every peer and sends media to nobody until asked', () => {
    const { model, actions, messages } = run(connected('alice', 'bob', 'carol'), [share]);
    expect(actions).toEqual([]);
    expect(sendingTo(model).size).toBe(0);
    expect(messages).toEqual([
      {
        to: 'bob',
        message: {
          v: 1,
          type: 'screen.share',
          shareId: 's1',
          streamId: 'st-s1',
          preset: '1080p30',
          audio: false,
        },
      },
      {
        to: 'carol',
        message: {
          v: 1,
          type: 'screen.share',
          shareId: 's1',
          streamId: 'st-s1',
          preset: '1080p30',
          audio: false,
        },
      },
    ]);
  });

  it('sends to a peer when it asks to watch, stops when it unwatches, and tells everyone who watches', () => {
    let { model } = run(connected('alice', 'bob', 'carol'), [share]);
    let step = reduceWatch(model, from('bob', screenMessage({ type: 'screen.watch', shareId: 's1' })));
    expect(step.actions).toEqual([{ peer: 'bob', action: 'sendVideo' }]);
    expect(step.messages.map((m) => [m.to, m.message])).toEqual([
      ['bob', { v: 1, type: 'screen.viewers', shareId: 's1', viewers: ['bob'] }],
      ['carol', { v: 1, type: 'screen.viewers', shareId: 's1', viewers: ['bob'] }],
    ]);
    model = step.model;
    expect([...sendingTo(model)]).toEqual(['bob']);

    // A repeated request changes nothing (the data channel may deliver a retry).
    step = reduceWatch(model, from('bob', screenMessage({ type: 'screen.watch', shareId: 's1' })));
    expect(step.actions).toEqual([]);
    expect(step.ignored).toMatch(/already watches/);

    step = reduceWatch(model, from('bob', screenMessage({ type: 'screen.unwatch', shareId: 's1' })));
    expect(step.actions).toEqual([{ peer: 'bob', action: 'stopVideo' }]);
    expect(step.messages[0]?.message).toMatchObject({ type: 'screen.viewers', viewers: [] });
    expect(sendingTo(step.model).size).toBe(0);
  });

  it('answers a request for an earlier share with screen.end and sends nothing', () => {
    const { model } = run(connected('alice', 'bob'), [share]);
    const step = reduceWatch(model, from('bob', screenMessage({ type: 'screen.watch', shareId: 'old' })));
    expect(step.actions).toEqual([]);
    expect(step.messages).toEqual([{ to: 'bob', message: { v: 1, type: 'screen.end', shareId: 'old' } }]);
    const idle = reduceWatch(
      connected('alice', 'bob'),
      from('bob', screenMessage({ type: 'screen.watch', shareId: 's1' })),
    );
    expect(idle.messages[0]?.message.type).toBe('screen.end');
    expect(idle.actions).toEqual([]);
  });

  it('stops media to every watcher and tells every peer when the share stops', () => {
    const { model } = run(connected('alice', 'bob', 'carol', 'dan'), [
      share,
      from('bob', screenMessage({ type: 'screen.watch', shareId: 's1' })),
      from('dan', screenMessage({ type: 'screen.watch', shareId: 's1' })),
    ]);
    const step = reduceWatch(model, { type: 'shareStopped' });
    expect(step.actions).toEqual([
      { peer: 'bob', action: 'stopVideo' },
      { peer: 'dan', action: 'stopVideo' },
    ]);
    expect(step.messages.map((m) => m.to)).toEqual(['bob', 'carol', 'dan']);
    expect(step.messages.every((m) => m.message.type === 'screen.end')).toBe(true);
    expect(step.model.local).toBeNull();
    expect(reduceWatch(step.model, { type: 'shareStopped' }).ignored).toMatch(/no share/);
  });

  it('announces the running share and its viewers to a member who connects later', () => {
    const { model } = run(connected('alice', 'bob'), [
      share,
      from('bob', screenMessage({ type: 'screen.watch', shareId: 's1' })),
    ]);
    const step = reduceWatch(model, { type: 'peerConnected', peer: 'erin' });
    expect(step.messages.map((m) => [m.to, m.message.type])).toEqual([
      ['erin', 'screen.share'],
      ['erin', 'screen.viewers'],
    ]);
    expect(step.actions).toEqual([]);
  });

  it('drops a watcher that disconnects and re-announces the viewers', () => {
    const { model } = run(connected('alice', 'bob', 'carol'), [
      share,
      from('bob', screenMessage({ type: 'screen.watch', shareId: 's1' })),
    ]);
    const step = reduceWatch(model, { type: 'peerDisconnected', peer: 'bob' });
    expect(step.actions).toEqual([{ peer: 'bob', action: 'stopVideo' }]);
    expect(step.messages).toEqual([
      { to: 'carol', message: { v: 1, type: 'screen.viewers', shareId: 's1', viewers: [] } },
    ]);
  });

  it('re-announces on a preset change without touching who gets media', () => {
    const { model } = run(connected('alice', 'bob'), [
      share,
      from('bob', screenMessage({ type: 'screen.watch', shareId: 's1' })),
    ]);
    const step = reduceWatch(model, { type: 'shareUpdated', preset: 'text', audio: true });
    expect(step.actions).toEqual([]);
    expect(step.messages[0]?.message).toMatchObject({ type: 'screen.share', preset: 'text', audio: true });
    expect([...sendingTo(step.model)]).toEqual(['bob']);
  });

  it('ends the old share when a new one starts over it', () => {
    const { model } = run(connected('alice', 'bob'), [
      share,
      from('bob', screenMessage({ type: 'screen.watch', shareId: 's1' })),
    ]);
    const step = reduceWatch(model, { ...share, shareId: 's2' });
    expect(step.actions).toEqual([{ peer: 'bob', action: 'stopVideo' }]);
    expect(step.messages.map((m) => m.message.type)).toEqual(['screen.end', 'screen.share']);
    expect(step.model.local?.shareId).toBe('s2');
    expect(sendingTo(step.model).size).toBe(0);
  });

  it('ignores messages from members it has no connection with', () => {
    const { model } = run(connected('alice', 'bob'), [share]);
    const step = reduceWatch(model, from('mallory', screenMessage({ type: 'screen.watch', shareId: 's1' })));
    expect(step.actions).toEqual([]);
    expect(step.ignored).toMatch(/mallory, who is not connected/);
  });
});

describe('watchDebugInfo', () => {
  it('reports our share with its watchers and the shares we see, marking the ones we watch', () => {
    let model = run(connected('bob', 'alice', 'carol', 'dan'), [
      { ...share, shareId: 'mine' },
      from('dan', screenMessage({ type: 'screen.watch', shareId: 'mine' })),
      from(
        'carol',
        screenMessage({
          type: 'screen.share',
          shareId: 'c1',
          streamId: 'st-c1',
          preset: 'text',
          audio: false,
        }),
      ),
      from(
        'alice',
        screenMessage({
          type: 'screen.share',
          shareId: 'a1',
          streamId: 'st-a1',
          preset: '720p30',
          audio: true,
        }),
      ),
      from('alice', screenMessage({ type: 'screen.viewers', shareId: 'a1', viewers: ['bob', 'dan'] })),
      { type: 'watch', sharer: 'alice' },
    ]).model;
    expect(watchDebugInfo(model)).toEqual({
      sharing: { shareId: 'mine', preset: '1080p30', audio: false, watchers: ['dan'] },
      shares: [
        {
          sharer: 'alice',
          shareId: 'a1',
          streamId: 'st-a1',
          preset: '720p30',
          audio: true,
          viewers: ['bob', 'dan'],
          watching: true,
        },
        {
          sharer: 'carol',
          shareId: 'c1',
          streamId: 'st-c1',
          preset: 'text',
          audio: false,
          viewers: [],
          watching: false,
        },
      ],
    });
    model = reduceWatch(model, { type: 'shareStopped' }).model;
    expect(watchDebugInfo(model).sharing).toBeNull();
  });
});

describe('viewer side', () => {
  it('learns of a share, asks to watch it once, and stops watching', () => {
    let model = connected('bob', 'alice');
    model = reduceWatch(
      model,
      from(
        'alice',
        screenMessage({
          type: 'screen.share',
          shareId: 's1',
          streamId: 'st-s1',
          preset: 'text',
          audio: true,
        }),
      ),
    ).model;
    expect(model.remote.get('alice')).toEqual({
      shareId: 's1',
      streamId: 'st-s1',
      preset: 'text',
      audio: true,
      viewers: [],
    });

    let step = reduceWatch(model, { type: 'watch', sharer: 'alice' });
    expect(step.messages).toEqual([{ to: 'alice', message: { v: 1, type: 'screen.watch', shareId: 's1' } }]);
    model = step.model;
    expect(reduceWatch(model, { type: 'watch', sharer: 'alice' }).messages).toEqual([]);

    model = reduceWatch(
      model,
      from('alice', screenMessage({ type: 'screen.viewers', shareId: 's1', viewers: ['bob'] })),
    ).model;
    expect(model.remote.get('alice')?.viewers).toEqual(['bob']);

    step = reduceWatch(model, { type: 'unwatch', sharer: 'alice' });
    expect(step.messages).toEqual([
      { to: 'alice', message: { v: 1, type: 'screen.unwatch', shareId: 's1' } },
    ]);
    expect(step.model.watching.size).toBe(0);
  });

  it('cannot watch someone who is not sharing', () => {
    const step = reduceWatch(connected('bob', 'alice'), { type: 'watch', sharer: 'alice' });
    expect(step.messages).toEqual([]);
    expect(step.ignored).toMatch(/not sharing/);
  });

  it('forgets a share when it ends or its sharer disconnects, and a restart is not watched implicitly', () => {
    let model = run(connected('bob', 'alice'), [
      from(
        'alice',
        screenMessage({
          type: 'screen.share',
          shareId: 's1',
          streamId: 'st-s1',
          preset: '720p30',
          audio: false,
        }),
      ),
      { type: 'watch', sharer: 'alice' },
    ]).model;
    const restarted = reduceWatch(
      model,
      from(
        'alice',
        screenMessage({
          type: 'screen.share',
          shareId: 's2',
          streamId: 'st-s2',
          preset: '720p30',
          audio: false,
        }),
      ),
    ).model;
    expect(restarted.watching.has('alice')).toBe(false);
    expect(restarted.remote.get('alice')?.shareId).toBe('s2');

    const ended = reduceWatch(model, from('alice', screenMessage({ type: 'screen.end', shareId: 's1' })));
    expect(ended.model.remote.has('alice')).toBe(false);
    expect(ended.model.watching.has('alice')).toBe(false);
    expect(
      reduceWatch(ended.model, from('alice', screenMessage({ type: 'screen.end', shareId: 's1' }))).ignored,
    ).toMatch(/unknown share/);

    model = reduceWatch(model, { type: 'peerDisconnected', peer: 'alice' }).model;
    expect(model.remote.size + model.watching.size).toBe(0);
  });

  it('ignores viewer lists of shares it does not know', () => {
    const step = reduceWatch(
      connected('bob', 'alice'),
      from('alice', screenMessage({ type: 'screen.viewers', shareId: 'zz', viewers: [] })),
    );
    expect(step.ignored).toMatch(/unknown share/);
  });
});

/**
 * A whole channel: every member runs the reducer, messages travel over per-pair FIFO channels (like an
 * ordered data channel) through encode → decode, and sender gates are simulated from the actions.
 */
describe('a channel of members (property)', () => {
  const members = ['ann', 'ben', 'cat', 'dov'] as const;
  type Member = (typeof members)[number];

  const command = fc.oneof(
    fc.record({ kind: fc.constant('start' as const), who: fc.constantFrom(...members) }),
    fc.record({ kind: fc.constant('stop' as const), who: fc.constantFrom(...members) }),
    fc.record({
      kind: fc.constantFrom('watch' as const, 'unwatch' as const),
      who: fc.constantFrom(...members),
      sharer: fc.constantFrom(...members),
    }),
    fc.record({ kind: fc.constant('deliver' as const), steps: fc.integer({ min: 1, max: 5 }) }),
  );

  it('after all messages arrive, each sharer sends media exactly to the members watching its share', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const models = new Map<Member, WatchModel>();
        const gates = new Map<Member, Set<string>>(); // sharer → peers its senders are on for
        const queue: Array<{ from: Member; to: string; text: string }> = [];
        let shareCounter = 0;

        const apply = (who: Member, event: WatchEvent) => {
          const step = reduceWatch(models.get(who)!, event);
          models.set(who, step.model);
          const gate = gates.get(who)!;
          for (const { peer, action } of step.actions) {
            if (action === 'sendVideo') gate.add(peer);
            else gate.delete(peer);
          }
          for (const out of step.messages) {
            queue.push({ from: who, to: out.to, text: encodeScreenMessage(out.message) });
          }
        };
        const deliver = (count: number) => {
          for (let i = 0; i < count && queue.length > 0; i++) {
            const next = queue.shift()!;
            const decoded = decodeScreenMessage(next.text);
            if (!decoded.ok) throw new Error(`undecodable ${next.text}`);
            apply(next.to as Member, { type: 'received', from: next.from, message: decoded.message });
          }
        };

        for (const m of members) {
          models.set(m, emptyWatchModel(m));
          gates.set(m, new Set());
        }
        for (const m of members) {
          for (const peer of members) if (peer !== m) apply(m, { type: 'peerConnected', peer });
        }
        for (const c of commands) {
          if (c.kind === 'start') {
            apply(c.who, {
              type: 'shareStarted',
              shareId: `s${++shareCounter}`,
              streamId: `st${shareCounter}`,
              preset: '720p30',
              audio: false,
            });
          } else if (c.kind === 'stop') apply(c.who, { type: 'shareStopped' });
          else if (c.kind === 'deliver') deliver(c.steps);
          else if (c.who !== c.sharer) apply(c.who, { type: c.kind, sharer: c.sharer });
          // Invariant at every step: media only ever goes to current watchers.
          for (const m of members)
            expect([...gates.get(m)!].sort()).toEqual([...sendingTo(models.get(m)!)].sort());
        }
        deliver(Number.POSITIVE_INFINITY);

        for (const sharer of members) {
          const local = models.get(sharer)!.local;
          const expected = members
            .filter((m) => m !== sharer && local && models.get(m)!.watching.get(sharer) === local.shareId)
            .sort();
          expect([...gates.get(sharer)!].sort()).toEqual(expected);
          // Everyone's view of the viewer list matches the sharer's.
          for (const m of members) {
            if (m === sharer) continue;
            const seen = models.get(m)!.remote.get(sharer);
            if (!local) expect(seen).toBeUndefined();
            else expect(seen?.viewers).toEqual(expected);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
