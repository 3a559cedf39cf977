// Tests that need a Python with torch, transformers and PEFT (`npm run test:torch`; DOVETAIL_PYTHON names the
// interpreter). CI has no torch: they are not part of `npm test`; what they produce is committed as fixtures.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.torch.test.ts'],
    environment: 'node',
    pool: 'forks',
    globalSetup: ['src/main/host/testing/engine-worker.global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
