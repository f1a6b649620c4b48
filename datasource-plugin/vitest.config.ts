import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    globalSetup: ['@hydra/plugin-kit/testing/global-setup'],
    setupFiles: ['./tests/setup.ts'],
    // @grafana/* ship ESM that Node cannot load as is (extensionless imports): let Vite transform them.
    server: { deps: { inline: [/@grafana\//] } },
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
