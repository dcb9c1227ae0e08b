import { defineConfig } from 'vitest/config';

// Tests run from the package root (vite.config.ts roots Vite at src/renderer for the app build).
export default defineConfig({
  test: {
    root: '.',
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Chromium suites (a gateway, browsers with fake media, WebRTC calls) starve each other on a 2-core
    // machine when run side by side; files run one after another, tests inside a file as written.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
