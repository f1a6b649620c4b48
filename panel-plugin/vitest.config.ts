import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    // The data source's real inference server, seeded with simulator plots.
    globalSetup: ['../datasource-plugin/tests/globalSetup.ts'],
    setupFiles: ['./tests/setup.ts'],
    server: { deps: { inline: [/@grafana\//] } },
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
