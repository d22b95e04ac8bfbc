import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditEventType } from '@portcullis/contract';

/**
 * Prometheus metrics (issue 15), with prom-client. One registry per process, as Prometheus scrapes
 * a process (an instance); tests that run several servers in one process read the sums of all.
 * Counters are plain increments; the gauges that need a server (queue depths, the pool) are read
 * at scrape time from the servers registered here, so a request pays only for its own counters.
 */

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'portcullis_process_' });

const httpRequests = new Counter({
  name: 'portcullis_http_requests_total',
  help: 'HTTP requests by route pattern, method and status.',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});
const httpDuration = new Histogram({
  name: 'portcullis_http_request_duration_seconds',
  help: 'HTTP request latency by route pattern, method and status.',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
const signIns = new Counter({
  name: 'portcullis_sign_ins_total',
  help: 'Sign-in attempts by outcome (succeeded, failed) and method (password, oauth, mfa, …).',
  labelNames: ['outcome', 'method'] as const,
  registers: [registry],
});
const refreshes = new Counter({
  name: 'portcullis_refreshes_total',
  help: 'Refresh-token requests by outcome (succeeded, refused).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
const reuseDetections = new Counter({
  name: 'portcullis_refresh_reuse_detections_total',
  help: 'Refresh tokens replayed after rotation (sessions revoked as stolen).',
  registers: [registry],
});
const rateLimited = new Counter({
  name: 'portcullis_rate_limit_refusals_total',
  help: 'Requests refused with 429, by route pattern.',
  labelNames: ['route'] as const,
  registers: [registry],
});
const busLag = new Histogram({
  name: 'portcullis_revocation_bus_lag_seconds',
  help: 'Time from publishing a revocation to another listener of the bus receiving it.',
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry],
});

/** What a running server tells the scrape (server.ts registers one per context). */
export interface MetricsSource {
  pool?: () => { total: number; idle: number; waiting: number };
  mailQueue(): Promise<number>;
  webhookQueue(): Promise<number>;
}
const sources = new Set<MetricsSource>();
export function addMetricsSource(source: MetricsSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

const sum = async (read: (s: MetricsSource) => Promise<number> | number | undefined) => {
  let total = 0;
  for (const s of sources) total += (await Promise.resolve(read(s)).catch(() => 0)) ?? 0;
  return total;
};
new Gauge({
  name: 'portcullis_db_pool_connections',
  help: 'Database pool connections by state (PostgreSQL).',
  labelNames: ['state'] as const,
  registers: [registry],
  async collect() {
    for (const state of ['total', 'idle', 'waiting'] as const) this.set({ state }, await sum((s) => s.pool?.()[state]));
  },
});
new Gauge({
  name: 'portcullis_mail_queue_depth',
  help: 'Mail waiting to be sent (not sent, not given up).',
  registers: [registry],
  async collect() {
    this.set(await sum((s) => s.mailQueue()));
  },
});
new Gauge({
  name: 'portcullis_webhook_queue_depth',
  help: 'Webhook deliveries pending (not delivered, not given up).',
  registers: [registry],
  async collect() {
    this.set(await sum((s) => s.webhookQueue()));
  },
});

const REFRESH_PATH = '/api/auth/refresh';

/**
 * Counts every answer by its route pattern (never the raw path: ids would explode the label set).
 * One `finish` listener per request; mounted only when metrics are on (METRICS_TOKEN or METRICS_PORT).
 */
export const metricsMiddleware: RequestHandler = (req, res, next) => {
  const started = performance.now();
  res.once('finish', () => {
    const route = req.route ? `${req.baseUrl}${String((req.route as { path: string }).path)}` : 'unmatched';
    const labels = { route, method: req.method, status: String(res.statusCode) };
    httpRequests.inc(labels);
    httpDuration.observe(labels, (performance.now() - started) / 1000);
    if (res.statusCode === 429) rateLimited.inc({ route });
    if (route === REFRESH_PATH) refreshes.inc({ outcome: res.statusCode === 200 ? 'succeeded' : 'refused' });
  });
  next();
};

/** Audit events that are also counted (services/audit.ts calls this for each one it records). */
export function countAuditEvent(type: AuditEventType, details: Record<string, unknown> | undefined): void {
  if (type === 'login.succeeded') signIns.inc({ outcome: 'succeeded', method: methodOf(details) });
  else if (type === 'login.failed') signIns.inc({ outcome: 'failed', method: methodOf(details) });
  else if (type === 'mfa.failed' && details?.stage === 'login') signIns.inc({ outcome: 'failed', method: 'mfa' });
  else if (type === 'refresh.reuse_detected') reuseDetections.inc();
}

function methodOf(details: Record<string, unknown> | undefined): string {
  const method = details?.method ?? details?.provider ?? (details?.mfa ? 'mfa' : 'password');
  return typeof method === 'string' && /^[a-z_+]{1,30}$/.test(method) ? method : 'other';
}

/** Observes one revocation message's trip over the bus (server.ts, on receipt). */
export function observeBusLag(sentAt: number | undefined): void {
  if (typeof sentAt === 'number' && Number.isFinite(sentAt)) busLag.observe(Math.max(0, Date.now() - sentAt) / 1000);
}
