import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingNodeFlags, nodeFlags } from '../src/nodeFlags';

const here = join(import.meta.dirname, '..');

describe('the Node flags the gateway ships with', () => {
  it('are found in the arguments or NODE_OPTIONS, by name', () => {
    expect(nodeFlags).toContain('--max-semi-space-size=64');
    expect(missingNodeFlags([])).toEqual([...nodeFlags]);
    expect(missingNodeFlags(['--max-semi-space-size=128'])).toEqual([]);
    expect(missingNodeFlags(['--inspect'], '--enable-source-maps --max-semi-space-size=32')).toEqual([]);
  });

  it('are passed by every launcher: the package start script and the root npm start', () => {
    const { scripts } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    expect(missingNodeFlags(scripts.start.split(' '))).toEqual([]);
    const rootStart = readFileSync(join(here, '../../scripts/start.mjs'), 'utf8');
    expect(rootStart).toContain("'apps/gateway/node-flags.json'");
  });
});
