import { defineConfig } from 'vitest/config';

// One suite for the whole repository. Database-backed tests run against the embedded
// PGlite by default and against a real PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  test: {
    include: ['apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/web/e2e/**/*.test.ts'],
    // Timeouts only catch hangs; they are not assertions about speed. They are sized for a machine
    // busy with other work (npm run test:load): a fresh embedded database with its migrations,
    // a few seconds when idle, took over 120 s in a beforeAll on a 2-core machine with a load
    // average of 30, and every file whose servers start in beforeAll then failed as a whole.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // expect.poll waits for a page or a server to reach a state. Vitest's 1 s default failed CI on a
    // busy machine (a settings page still loading its sessions); the wait only bounds a hang.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    // Every JSON answer a test receives is checked against its route's schema (http/responseCheck.ts).
    env: { PORTCULLIS_CHECK_RESPONSES: '1' },
    // Once per run: the API bundle that tests spawning API processes start, and the embedded-database template.
    globalSetup: ['packages/testing/src/globalSetup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
