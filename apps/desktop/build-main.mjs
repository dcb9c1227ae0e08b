// Bundles the Electron main process and the sandboxed preload with esbuild. Both are CommonJS: Electron 45
// loads a CJS main without flags, and a sandboxed preload must be a single CJS script that only requires
// `electron`. `package.json` `main` points at dist/main/main.cjs.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['src/main/main.ts'], outfile: 'dist/main/main.cjs' }),
  build({ ...common, entryPoints: ['src/preload/preload.ts'], outfile: 'dist/preload/preload.cjs' }),
]);
console.log('✅ built dist/main/main.cjs and dist/preload/preload.cjs');
