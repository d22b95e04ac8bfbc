import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { describe, expect } from 'vitest';
import { request } from '@portcullis/testing/http';
import { apiTest, startApi } from '@portcullis/testing/fixtures';

/**
 * The API's HTTP server makes its requests and responses with Express's prototypes from birth
 * (http/expressServerClasses.ts, issue 12), so Express's per-request Object.setPrototypeOf changes
 * nothing. Seen from a listener that runs before Express: the objects node:http hands over.
 */
const test = apiTest();
test.beforeAll(startApi);

describe('requests and responses born with Express prototypes', () => {
  test('node:http hands Express objects whose prototypes are already the app’s own', async ({ server }) => {
    const seen: { req: object; res: object }[] = [];
    const listener = (req: IncomingMessage, res: ServerResponse) => seen.push({ req: Object.getPrototypeOf(req), res: Object.getPrototypeOf(res) });
    server.http.prependListener('request', listener);
    try {
      const answer = await request(server.url, 'GET', '/healthz');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: 'ok' });
    } finally {
      server.http.removeListener('request', listener);
    }
    expect(seen).toHaveLength(1);
    // app.request and app.response: made per app by Express, on top of express.request and express.response.
    expect(Object.getPrototypeOf(seen[0]!.req)).toBe(express.request);
    expect(Object.getPrototypeOf(seen[0]!.res)).toBe(express.response);
  });
});
