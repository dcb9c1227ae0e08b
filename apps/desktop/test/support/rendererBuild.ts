import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

const root = join(import.meta.dirname, '../..');

/** A fresh production build of the renderer in a temporary folder (so a stale dist/ is never tested). */
export async function buildRendererForTest(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'miscord-renderer-'));
  await build({
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
