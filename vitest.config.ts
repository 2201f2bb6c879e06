import { defineConfig } from 'vitest/config';

// One runner for the whole repo. Unit tests sit next to the code; end-to-end tests live in e2e/.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
