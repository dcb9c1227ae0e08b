import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const readme = readFileSync(here('../README.md'), 'utf8');
const example = readFileSync(here('../examples/quickstart.ts'), 'utf8');

describe('README', () => {
  it('shows examples/quickstart.ts verbatim', () => {
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('shows the output the example really prints', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', here('../examples/quickstart.ts')], {
      cwd: here('..'),
      encoding: 'utf8',
    });
    expect(readme).toContain(`\`\`\`text\n${output}\`\`\``);
  }, 60_000);
});
