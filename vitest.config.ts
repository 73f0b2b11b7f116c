import { defineConfig } from 'vitest/config';

// Tests import packages by name (@dusk/core, ...), which resolve to the built dist/
// folders: one copy of each package, the same code workers load. `npm test` builds first.
export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
