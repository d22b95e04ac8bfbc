import { createServer, type Server } from 'node:http';
import type { RequestHandler } from 'express';
import { registry } from '../services/metrics.js';
import { safeEqual } from '../services/secrets.js';

/**
 * `/metrics` in the Prometheus text format (issue 15), outside the HTTP contract. Either on the
 * API's port behind `Authorization: Bearer <METRICS_TOKEN>` (404 without it, so its existence is
 * not advertised), or on METRICS_PORT, a listener of its own meant for a private interface.
 */
export const metricsRoute =
  (token: string): RequestHandler =>
  async (req, res, next) => {
    const sent = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!sent || !safeEqual(sent, token)) return next();
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(await registry.metrics());
  };

/** A listener that answers only `GET /metrics`. */
export async function startMetricsServer(port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
