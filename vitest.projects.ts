import { defineConfig } from 'vitest/config';

// One vitest run over every package: each folder is its own project (its root, its tests).
export default defineConfig({
  test: {
    projects: ['packages/*', 'plugins/*', 'tools/*'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
