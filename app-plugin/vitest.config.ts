import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    // A real inference server, seeded with simulator plots.
    globalSetup: ['@hydra/plugin-kit/testing/global-setup'],
    setupFiles: ['./tests/setup.ts'],
    server: { deps: { inline: [/@grafana\//] } },
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
