import { defineConfig } from 'vitest/config';

// The kit's own tests need no inference server: the client's run against a local HTTP server that fails on purpose.
export default defineConfig({
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./testing/jsdomSetup.ts'],
    // @grafana/* ship ESM that Node cannot load as is (extensionless imports): let Vite transform them.
    server: { deps: { inline: [/@grafana\//] } },
  },
});
