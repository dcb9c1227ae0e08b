import type { CallUser } from './callHarness';
import { type InboundSample, inboundAudio } from './rtcProbe';

/** One listener's inbound audio from each remote user over time, sampled while something else happens. */
export interface AudioTimeline {
  readonly listener: CallUser;
  readonly samples: Array<{ at: number; inbound: Record<string, InboundSample> }>;
}

/** The longest stretch (ms) during which bytes or energy from `speakerId` did not grow, and the totals. */
export function longestStall(
  timeline: AudioTimeline,
  speakerId: string,
  field: 'bytes' | 'energy',
): { stallMs: number; grew: number; samples: number; pcs: number[] } {
  let lastGrowthAt: number | null = null;
  let previous: number | null = null;
  let first: number | null = null;
  let stallMs = 0;
  const pcs = new Set<number>();
  for (const { at, inbound } of timeline.samples) {
    const sample = inbound[speakerId];
    if (!sample) {
      // no <audio> element or no peer for that user at this moment: that is a stall too
      if (lastGrowthAt !== null) stallMs = Math.max(stallMs, at - lastGrowthAt);
      continue;
    }
    pcs.add(sample.pc);
    const value = sample[field];
    first ??= value;
    if (previous === null || value > previous) lastGrowthAt = at;
    else if (lastGrowthAt !== null) stallMs = Math.max(stallMs, at - lastGrowthAt);
    previous = value;
  }
  return { stallMs, grew: (previous ?? 0) - (first ?? 0), samples: timeline.samples.length, pcs: [...pcs] };
}

/**
 * Sample every listener's inbound audio about every `everyMs` until `stop()` is called. Each round reads all
 * listeners in parallel; a slow round only delays the next one (its timestamps stay true).
 */
export function recordAudio(listeners: readonly CallUser[], everyMs = 250) {
  const timelines: AudioTimeline[] = listeners.map((listener) => ({ listener, samples: [] }));
  let running = true;
  const errors: string[] = [];
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      await Promise.all(
        timelines.map(async (timeline) => {
          try {
            const inbound = await inboundAudio(timeline.listener.page);
            timeline.samples.push({ at: Date.now(), inbound });
          } catch (error) {
            errors.push(`${timeline.listener.name}: ${String(error)}`);
          }
        }),
      );
      const wait = everyMs - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    timelines,
    errors,
    async stop(): Promise<AudioTimeline[]> {
      running = false;
      await loop;
      return timelines;
    },
  };
}
