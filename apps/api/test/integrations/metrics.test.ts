import { describe, expect } from 'vitest';
import { apiTest, startApi } from '@portcullis/testing/fixtures';
import { request, STRONG_PASSWORD } from '@portcullis/testing/http';
import { accessEnv, newUser } from '@portcullis/testing/access';

/** `/metrics` (issue 15): Prometheus text, behind METRICS_TOKEN on the API port or on METRICS_PORT; it moves when traffic flows. */

const TOKEN = 'metrics-token-0123456789';
const test = apiTest(accessEnv({ METRICS_TOKEN: TOKEN, METRICS_PORT: '0', RATE_LIMITS: 'on', RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '2/15m' }));

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (wanted.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('/metrics', () => {
  test.beforeAll(startApi);

  test('only with the token on the API port; on its own port without', async ({ server }) => {
    expect((await request(server.url, 'GET', '/metrics')).status).toBe(404);
    expect((await request(server.url, 'GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(404);
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(server.metricsUrl).toBeDefined();
    const own = await fetch(server.metricsUrl as string);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('portcullis_http_requests_total');
  });

  test('moves when traffic flows: requests by route and status, latency, sign-ins, refreshes, rate-limit refusals, queues', async ({ server }) => {
    const scrape = async () => (await fetch(server.metricsUrl as string)).text();
    const before = await scrape();
    const person = await newUser(server.url, 'Metric');
    const ok = await request(server.url, 'POST', '/api/auth/login', {
      body: { email: person.email, password: STRONG_PASSWORD },
      headers: { 'x-token-transport': 'body' },
    });
    expect(ok.status).toBe(200);
    for (let i = 0; i < 3; i += 1) await request(server.url, 'POST', '/api/auth/login', { body: { email: person.email, password: 'Wrong-Password-1' } });
    await request(server.url, 'POST', '/api/auth/refresh', { body: { refreshToken: ok.body.refreshToken }, headers: { 'x-token-transport': 'body' } });
    const after = await scrape();

    const route = { route: '/api/auth/login', method: 'POST' };
    expect(
      sample(after, 'portcullis_http_requests_total', { ...route, status: '200' }) -
        sample(before, 'portcullis_http_requests_total', { ...route, status: '200' }),
    ).toBe(1);
    expect(
      sample(after, 'portcullis_http_request_duration_seconds_count', route) - sample(before, 'portcullis_http_request_duration_seconds_count', route),
    ).toBe(4);
    expect(
      sample(after, 'portcullis_sign_ins_total', { outcome: 'succeeded', method: 'password' }) -
        sample(before, 'portcullis_sign_ins_total', { outcome: 'succeeded', method: 'password' }),
    ).toBe(1);
    expect(
      sample(after, 'portcullis_sign_ins_total', { outcome: 'failed' }) - sample(before, 'portcullis_sign_ins_total', { outcome: 'failed' }),
    ).toBeGreaterThanOrEqual(2);
    // The third wrong password is over RATE_LIMIT_LOGIN_PER_ACCOUNT_IP (2 here).
    expect(
      sample(after, 'portcullis_rate_limit_refusals_total', { route: '/api/auth/login' }) -
        sample(before, 'portcullis_rate_limit_refusals_total', { route: '/api/auth/login' }),
    ).toBe(1);
    expect(sample(after, 'portcullis_refreshes_total', { outcome: 'succeeded' }) - sample(before, 'portcullis_refreshes_total', { outcome: 'succeeded' })).toBe(
      1,
    );
    // A path's ids never become labels: the pattern does.
    expect(after).not.toContain(person.id);
    for (const name of [
      'portcullis_mail_queue_depth',
      'portcullis_webhook_queue_depth',
      'portcullis_db_pool_connections',
      'portcullis_revocation_bus_lag_seconds',
      'portcullis_refresh_reuse_detections_total',
    ])
      expect(after).toContain(`# TYPE ${name}`);
  });
});
