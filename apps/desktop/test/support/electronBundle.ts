import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/**
 * The Electron binary cannot run here, so main and preload are tested as they ship: bundled the way
 * build-main.mjs bundles them, then run against a stand-in for the `electron` module (the edge).
 */

/** `src/<entry>` bundled as build-main.mjs does: one CommonJS script, `electron` left to `require`. */
export async function bundleElectronEntry(entry: string): Promise<string> {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, '../../src', entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  return bundle.outputFiles[0]?.text ?? '';
}

export interface RunOptions {
  /** What `require('electron')` returns. */
  readonly electron: unknown;
  /** Where the bundle would be on disk (`__filename`; `__dirname` is its folder). */
  readonly filename: string;
  /** Any other `require`; by default a refusal, as in a sandboxed preload. */
  readonly requireOther?: (id: string) => unknown;
}

/** Runs a bundle from `bundleElectronEntry` as Node would run the file, with the stand-in for `electron`. */
export function runBundle(code: string, options: RunOptions): void {
  const requireOther =
    options.requireOther ??
    ((id: string) => {
      throw new Error(`require(${JSON.stringify(id)}) is not available here`);
    });
  const fakeRequire = (id: string) => (id === 'electron' ? options.electron : requireOther(id));
  const module = { exports: {} };
  new Function('require', 'module', 'exports', '__dirname', '__filename', code)(
    fakeRequire,
    module,
    module.exports,
    dirname(options.filename),
    options.filename,
  );
}
