// Bundle the gateway to dist/server.js: @miscord/* workspace packages (TypeScript source) are bundled,
// every node_modules dependency stays external and is resolved at run time.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter(
  (name) => !name.startsWith('@miscord/'),
);
// Dependencies of the bundled workspace packages are external too.
for (const workspace of ['registry', 'protocol']) {
  const workspacePkg = JSON.parse(
    readFileSync(join(here, `../../packages/${workspace}/package.json`), 'utf8'),
  );
  for (const name of Object.keys(workspacePkg.dependencies ?? {})) {
    if (!name.startsWith('@miscord/') && !external.includes(name)) external.push(name);
  }
}

await build({
  entryPoints: [join(here, 'src/server.ts')],
  outfile: join(here, 'dist/server.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: [...external, ...external.map((name) => `${name}/*`)],
  logLevel: 'warning',
});
console.log('built dist/server.js');
