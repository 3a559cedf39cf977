// Unit tests live next to the code (*.test.ts), the benchmarks' own beside them. End-to-end tests are Playwright's
// (e2e/), not vitest's.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'bench/**/*.test.ts',
      'tools/**/*.test.ts',
      'eslint-rules/**/*.test.ts',
    ],
    // Tests that need torch run apart (vitest.torch.config.ts, npm run test:torch).
    exclude: ['**/node_modules/**', 'src/**/*.torch.test.ts'],
    environment: 'node',
    pool: 'forks',
    globalSetup: ['src/main/host/testing/engine-worker.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
