import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, request } from '@portcullis/testing/http';
import { tracingRequested } from '../../src/tracing/index.js';
import { freshPostgresDatabase, spawnApi, waitUntilReady, type ApiProcess } from '../faults/helpers/processes.js';

/**
 * Optional OpenTelemetry tracing (issue 15), in the production build (plain node, the SDK kept
 * external by the bundler). With the standard OTEL_* variables set, a local OTLP/HTTP receiver
 * gets the API's spans, named by route; with them unset, no tracing module is loaded at all.
 */

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FORBID = fileURLToPath(new URL('./helpers/forbidTracingModules.mjs', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Span {
  name: string;
  kind: number;
  scope: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

type KeyValue = { key: string; value: Record<string, unknown> };
const flatten = (list: KeyValue[] = []) => Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));

/** An OTLP/HTTP collector's trace endpoint, JSON encoding (OTEL_EXPORTER_OTLP_PROTOCOL=http/json). */
async function startOtlpReceiver() {
  const spans: Span[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: {
          resource: { attributes: KeyValue[] };
          scopeSpans: { scope: { name: string }; spans: { name: string; kind: number; attributes: KeyValue[] }[] }[];
        }[];
      };
      for (const rs of body.resourceSpans)
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans)
            spans.push({ name: s.name, kind: s.kind, scope: ss.scope.name, attributes: flatten(s.attributes), resource: flatten(rs.resource.attributes) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    /** Polls until a span matches (the exporter sends in batches); bounded by the test's timeout. */
    async waitFor(predicate: (span: Span) => boolean): Promise<Span> {
      for (;;) {
        const found = spans.find(predicate);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

async function databaseEnv(): Promise<Record<string, string>> {
  if (!process.env.DATABASE_URL) return { DATA_DIR: 'memory://' };
  const database = await freshPostgresDatabase(process.env.DATABASE_URL);
  cleanups.push(() => database.drop());
  return { DATABASE_URL: database.url };
}

async function start(env: Record<string, string>): Promise<ApiProcess> {
  const api = await spawnApi({ ...(await databaseEnv()), ...env }, { built: true });
  cleanups.push(() => void api.child.kill('SIGKILL'));
  return api;
}

describe('which OTEL_* settings turn tracing on', () => {
  it('an OTLP endpoint or the otlp exporter does; none, disabled or nothing does not', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'api' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });
});

describe('OpenTelemetry tracing', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'apps/api/scripts/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  });

  it('sends spans named by route to an OTLP/HTTP receiver when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const receiver = await startOtlpReceiver();
    const api = await start({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'portcullis-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await waitUntilReady(api);
    const person = await registerUser(api.url);
    expect((await request(api.url, 'GET', '/api/auth/me', { headers: bearer(person.accessToken) })).status).toBe(200);

    const served = await receiver.waitFor((s) => s.scope === '@opentelemetry/instrumentation-http' && s.attributes['http.route'] === '/api/auth/me');
    expect(served.kind).toBe(2); // SERVER
    expect(served.name).toBe('GET /api/auth/me');
    expect(served.attributes['http.response.status_code']).toBe(200);
    expect(served.resource['service.name']).toBe('portcullis-under-test');
    // Express's own spans, and on PostgreSQL the queries (the embedded database has no driver to trace).
    await receiver.waitFor((s) => s.scope === '@opentelemetry/instrumentation-express');
    if (process.env.DATABASE_URL) await receiver.waitFor((s) => s.scope === '@opentelemetry/instrumentation-pg');
    // Probes are not traced.
    expect(receiver.spans.some((s) => String(s.attributes['url.path'] ?? '').startsWith('/readyz'))).toBe(false);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });

  it('loads no tracing module when no OTEL_* variable is set', async () => {
    // Under the preload that makes any tracing import fail, the API starts and serves...
    const api = await start({ NODE_OPTIONS: `--import=${FORBID}` });
    await waitUntilReady(api);
    const person = await registerUser(api.url);
    expect((await request(api.url, 'GET', '/api/auth/me', { headers: bearer(person.accessToken) })).status).toBe(200);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);

    // ...and the same preload does stop an API asked to trace: the check can fail.
    const tracing = await start({ NODE_OPTIONS: `--import=${FORBID}`, OTEL_TRACES_EXPORTER: 'otlp' });
    expect(await tracing.exited).toBe(1);
    expect(tracing.output.join('')).toContain('tracing module loaded');
  });
});
