import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real sockets and real redis-server processes on a shared 2-core machine: generous limits.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
    // test/upgrade.test.ts checks with a full GC that an upgrade's request is not kept.
    execArgv: ['--expose-gc'],
  },
});
