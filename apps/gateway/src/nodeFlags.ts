import gatewayNodeFlags from '../node-flags.json' with { type: 'json' };

/**
 * The Node flags the gateway ships with (node-flags.json; `npm start` and the benchmark pass them): a
 * 64 MB young generation, so that what a relayed frame allocates dies young instead of being promoted.
 */
export const nodeFlags: readonly string[] = gatewayNodeFlags;

/** The flags of `nodeFlags` a process started with these arguments and NODE_OPTIONS lacks (by name). */
export function missingNodeFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((flag) => flag.split('=')[0]);
  return nodeFlags.filter((flag) => !given.includes(flag.split('=')[0]));
}
