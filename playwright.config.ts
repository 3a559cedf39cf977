// End-to-end tests: Debian's Chromium drives browser mode (node out/main/web.js), one fresh server per test.
// Build first (`npx electron-vite build`); e2e/global-setup.ts checks the build is there.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './e2e/global-setup.ts',
  // Two cores: one test at a time keeps timings honest; each test starts its own server anyway.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Generous: CI machines are shared and a cold Monaco load can take tens of seconds there.
  timeout: 120_000,
  // Screenshots for people to look at run only on request: `npm run screenshots`.
  grepInvert: process.env.DOVETAIL_SCREENSHOTS ? undefined : /@screenshots/,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    colorScheme: 'light',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
