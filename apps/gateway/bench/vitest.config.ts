import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The benchmark harness's own tests: `npx vitest run --config bench/vitest.config.ts` in apps/gateway. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
});
