import { defineConfig } from 'vitest/config';

// The browser tests: real Chromium against the harness page and a real inference server, and the preview page.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.browser.test.ts'],
    globalSetup: ['@hydra/plugin-kit/testing/global-setup'],
    // One file at a time: the preview test builds a bundle and starts a second server, which would slow the grid
    // test's timed renders and alarm.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
