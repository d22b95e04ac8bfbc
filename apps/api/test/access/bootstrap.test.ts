import { describe, expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { bootstrapAdmin } from '../../src/services/bootstrap.js';
import { accessEnv, ADMIN_EMAIL, ADMIN_PASSWORD, login, startAccessServer } from '@portcullis/testing/access';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

const test = apiTest(accessEnv());

/** ALLOW_BOOTSTRAP: the first admin, once, whatever the number of instances starting. */

const adminRows = (server: TestServer) => server.query<{ email: string }>(`select email from users where role = 'admin'`);
const withBootstrap = (server: TestServer, email: string, password: string) => ({
  ...server.ctx,
  config: { ...server.ctx.config, ALLOW_BOOTSTRAP: true, BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password },
});

describe('bootstrap admin', () => {
  test.beforeAll(startApi);

  test('creates the configured admin at start-up, verified, with an audit event', async ({ server }) => {
    const admin = await login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const me = await request(server.url, 'GET', '/api/auth/me', { headers: bearer(admin.accessToken) });
    expect(me.body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', emailVerified: true });
    const events = await request(server.url, 'GET', `/api/admin/audit-events?userId=${admin.id}&type=user.registered`, { headers: bearer(admin.accessToken) });
    expect(events.body.events[0]).toMatchObject({ actorId: null, details: { via: 'bootstrap', role: 'admin' } });
  });

  test('does nothing once an admin exists', async ({ server }) => {
    await bootstrapAdmin(withBootstrap(server, 'second.admin@example.com', ADMIN_PASSWORD));
    expect(await adminRows(server)).toEqual([{ email: ADMIN_EMAIL }]);
  });

  test.skipIf(!process.env.DATABASE_URL)('a second instance starting on the same database creates no second admin', async ({ server }) => {
    const again = await startServer({ ...server.env });
    try {
      expect(await adminRows(again)).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  test('creates exactly one admin when several instances bootstrap at once', async () => {
    const fresh = await startServer({ RATE_LIMITS: 'off' });
    try {
      const ctx = withBootstrap(fresh, 'race.admin@example.com', ADMIN_PASSWORD);
      await Promise.all([bootstrapAdmin(ctx), bootstrapAdmin(ctx), bootstrapAdmin(ctx)]);
      expect(await adminRows(fresh)).toEqual([{ email: 'race.admin@example.com' }]);
    } finally {
      await fresh.close();
    }
  });

  test('never promotes an existing account that holds the bootstrap address', async () => {
    const fresh = await startServer({ RATE_LIMITS: 'off' });
    try {
      const squatter = await registerUser(fresh.url, { email: 'claimed.admin@example.com', password: 'Squatter-Pass-1!' });
      await bootstrapAdmin(withBootstrap(fresh, 'Claimed.Admin@example.com', ADMIN_PASSWORD));
      expect(await adminRows(fresh)).toEqual([]);
      const me = await request(fresh.url, 'GET', '/api/auth/me', { headers: bearer(squatter.accessToken) });
      expect(me.body.user.role).toBe('user');
    } finally {
      await fresh.close();
    }
  });

  test('refuses to start with a bootstrap password that breaks the password policy', async () => {
    await expect(startAccessServer({ BOOTSTRAP_ADMIN_PASSWORD: 'short' })).rejects.toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
  });

  test('is refused in production, and needs both email and password', () => {
    const base = { SECRET_KEY: 'x'.repeat(40), BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD, ALLOW_BOOTSTRAP: 'true' };
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/ALLOW_BOOTSTRAP/);
    expect(() => loadConfig({ ...base, DATA_DIR: 'memory://', BOOTSTRAP_ADMIN_PASSWORD: '' })).toThrow(/BOOTSTRAP_ADMIN/);
  });
});
