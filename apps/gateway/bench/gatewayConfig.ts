import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Most channels one space may hold (protocol `Space.channels` maxItems). */
const CHANNELS_PER_SPACE = 500;

export interface BenchChannels {
  readonly configPath: string;
  /** The channel of each pair, by pair index. */
  readonly channelOfPair: readonly string[];
}

/**
 * Write a gateway config (MISCORD_CONFIG) with enough voice channels for `pairs` pairs,
 * `pairsPerChannel` to a channel, spread over as many spaces as the protocol's 500-channel limit needs.
 */
export async function writeGatewayConfig(
  dir: string,
  pairs: number,
  pairsPerChannel: number,
): Promise<BenchChannels> {
  const channelCount = Math.ceil(pairs / pairsPerChannel);
  const spaces = [];
  for (let first = 0; first < channelCount; first += CHANNELS_PER_SPACE) {
    const channels = [];
    for (let c = first; c < Math.min(channelCount, first + CHANNELS_PER_SPACE); c++) {
      channels.push({ id: `bench-${c}`, name: `Bench ${c}`, kind: 'voice', userLimit: pairsPerChannel * 2 });
    }
    spaces.push({ id: `space-${spaces.length}`, name: `Bench space ${spaces.length}`, channels });
  }
  const configPath = join(dir, `gateway-config-${pairs}x${pairsPerChannel}.json`);
  await writeFile(configPath, JSON.stringify({ name: 'Miscord bench', spaces, iceServers: [] }, null, 2));
  const channelOfPair = Array.from(
    { length: pairs },
    (_, pair) => `bench-${Math.floor(pair / pairsPerChannel)}`,
  );
  return { configPath, channelOfPair };
}
