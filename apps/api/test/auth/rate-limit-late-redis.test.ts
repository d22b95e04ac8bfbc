import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, request } from '@portcullis/testing/http';
import { startServer, type TestServer } from '@portcullis/testing/server';
import { startHoldingProxy, type HoldingProxy } from '../faults/helpers/holdingProxy.js';
import { startPrivateRedis, type PrivateRedis } from '../faults/helpers/redisServer.js';

/**
 * A Redis answer that misses the command timeout (0.5 s) was still counted by Redis. Under load
 * (an event loop stalled past the timeout) parallel wrong passwords were counted partly in Redis
 * and partly in the instance's memory, which started from zero, and each let the full limit
 * through: 10 guesses got 401 instead of 5. Here a proxy holds Redis's replies back, which makes
 * that split happen every time instead of on a busy machine only. Runs on the Redis of REDIS_URL,
 * or on a private redis-server of its own.
 */

const login = (url: string, email: string, password: string) => request(url, 'POST', '/api/auth/login', { body: { email, password } });

describe('login limit while Redis answers too late', () => {
  let redis: PrivateRedis | undefined;
  let proxy: HoldingProxy;
  let server: TestServer;

  beforeAll(async () => {
    if (!process.env.REDIS_URL) redis = await startPrivateRedis();
    proxy = await startHoldingProxy(new URL(process.env.REDIS_URL ?? redis!.url));
    server = await startServer({ REDIS_URL: proxy.url, RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: '5/15m', RATE_LIMIT_LOGIN_PER_ACCOUNT: '100/1h' });
  });

  // A failed test must not leave the next one with a Redis that never answers.
  afterEach(() => proxy?.release());

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await redis?.stop();
  });

  const redisState = async () => ((await request(server.url, 'GET', '/readyz')).body as { checks: { redis: string } }).checks.redis;

  it('counts a guess whose answer came too late once, from where Redis was: 5 wrong passwords in all, and still 429 once Redis answers again', async () => {
    const frank = await registerUser(server.url);
    // A fresh instance on a busy machine may still report Redis degraded (a first command past its bound).
    await expect.poll(redisState).toBe('ok');
    for (let i = 0; i < 3; i++) expect((await login(server.url, frank.email, `Wrong-guess-${i}`)).status).toBe(401);

    // Redis still receives and counts each command; its answers wait. The first guess costs one
    // command timeout, after which the instance stops asking Redis and counts in memory alone.
    proxy.hold();
    const whileLate: number[] = [];
    for (let i = 3; i < 9; i++) whileLate.push((await login(server.url, frank.email, `Wrong-guess-${i}`)).status);
    expect(whileLate).toEqual([401, 401, 429, 429, 429, 429]);
    expect(await redisState()).toBe('degraded');

    // Redis counted only the guess it received (4 in all); the instance still knows of all 9.
    proxy.release();
    await expect.poll(redisState).toBe('ok');
    const right = await login(server.url, frank.email, frank.password);
    expect(right.status).toBe(429);
    expect(right.body.accessToken).toBeUndefined();
  });

  it('parallel guesses while answers come too late: 5 in all, whether Redis or memory counted them', async () => {
    const grace = await registerUser(server.url);
    await expect.poll(redisState).toBe('ok');
    for (let i = 0; i < 2; i++) expect((await login(server.url, grace.email, `Wrong-guess-${i}`)).status).toBe(401);
    proxy.hold();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(server.url, grace.email, `Parallel-guess-${i}`)));
    proxy.release();
    expect(results.filter((r) => r.status === 401)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(17);
    await expect.poll(redisState).toBe('ok');
    expect((await login(server.url, grace.email, grace.password)).status).toBe(429);
  });
});
