import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder's own JSON schema, validated with the ajv and js-yaml it installs (no extra dependencies).
const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;
const yaml = require('js-yaml') as { load(text: string): unknown };
const schema = require('app-builder-lib/scheme.json') as object;

const repoRoot = join(import.meta.dirname, '../../..');

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function validate(config: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const check = ajv.compile(schema);
  if (check(config)) return [];
  return ((check.errors ?? []) as SchemaError[])
    .filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'oneOf')
    .map((error) => {
      const extra = error.params.additionalProperty;
      return `${error.instancePath || '/'} ${error.message ?? error.keyword}${extra ? `: ${String(extra)}` : ''}`;
    });
}

const config = yaml.load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;

describe('electron-builder.yml', () => {
  it('matches electron-builder’s schema', () => {
    expect(validate(config)).toEqual([]);
  });

  it('packages the built desktop app as Miscord for every platform', () => {
    expect(config).toMatchObject({
      appId: expect.stringMatching(/^[a-z]+(\.[a-z]+)+$/),
      productName: 'Miscord',
      directories: { app: 'apps/desktop', output: 'release' },
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
    expect(config.files).toContain('dist/**');
  });

  it('catches a misspelt key (the check can fail)', () => {
    const broken = { ...config, directories: { app: 'apps/desktop', outptu: 'release' } };
    expect(validate(broken)).toContain('/directories must NOT have additional properties: outptu');
  });

  it('points at an entry the desktop build produces', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'apps/desktop/package.json'), 'utf8')) as {
      main: string;
    };
    const buildScript = readFileSync(join(repoRoot, 'apps/desktop/build-main.mjs'), 'utf8');
    expect(pkg.main).toBe('./dist/main/main.cjs');
    expect(buildScript).toContain(`outfile: '${pkg.main.slice(2)}'`);
  });
});
