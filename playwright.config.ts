// End-to-end tiers run by Playwright: the console UI in Debian's Chromium against the web host
// (test/e2e), and the packaged-layout Electron app (test/electron, skipped with a printed reason
// where no Electron binary exists). Browsers are never downloaded: Chromium comes from Debian.
import { defineConfig } from '@playwright/test';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export default defineConfig({
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  outputDir: 'test-results',
  projects: [
    {
      name: 'e2e',
      testDir: 'test/e2e',
      use: {
        viewport: { width: 1280, height: 800 },
        locale: 'es-MX',
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
      },
    },
    { name: 'electron', testDir: 'test/electron' },
  ],
});
