// Test tiers: unit (pure logic), integration (real HTTP, WebSocket, SQLite files, keyring, child
// processes on loopback) and contract (the built Electron main and preload against a stand-in
// electron). End-to-end and Electron tests run under Playwright (playwright.config.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
