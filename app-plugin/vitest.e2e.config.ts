import { defineConfig } from 'vitest/config';

// The browser test: real Chromium against the harness page and a real inference server.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.browser.test.ts'],
    globalSetup: ['@hydra/plugin-kit/testing/global-setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
