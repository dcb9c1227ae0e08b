import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface BenchBundles {
  readonly dir: string;
  readonly relay: string;
  readonly loadWorker: string;
}

/**
 * Bundle the trivial relay and the load worker to plain CommonJS in a temp dir, so both child
 * processes run on bare `node` (no TypeScript loader in the measured process, as for the gateway's
 * own esbuild bundle).
 */
export async function bundleChildren(): Promise<BenchBundles> {
  const dir = await mkdtemp(join(tmpdir(), 'miscord-bench-'));
  const here = fileURLToPath(new URL('.', import.meta.url));
  const entries = { relay: 'trivialRelay.ts', loadWorker: 'loadWorker.ts' } as const;
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(here, file)])),
    outdir: dir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ws loads these optional native helpers in a try/catch; without them it uses its JS fallbacks.
    external: ['bufferutil', 'utf-8-validate'],
    logLevel: 'warning',
  });
  return { dir, relay: join(dir, 'relay.cjs'), loadWorker: join(dir, 'loadWorker.cjs') };
}
