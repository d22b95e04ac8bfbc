import { defineConfig } from 'vitest/config';

// One suite for the whole repository. Database-backed tests run against the embedded
// PGlite by default and against a real PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  test: {
    include: ['apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/web/e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
