import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { Tracing } from './index.js';

/**
 * The OpenTelemetry SDK for the API, loaded only when tracing is requested (./index.ts). Spans:
 * every HTTP request served (named by its route pattern, e.g. `GET /api/admin/users/:id`) and sent
 * (webhooks, OAuth providers), Express middleware and route handlers, and PostgreSQL queries
 * (`pg`; the embedded database has no driver to instrument). Exported in batches over OTLP/HTTP,
 * configured by the standard variables the exporter reads itself: OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT,
 * _HEADERS, _TIMEOUT, OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL (`http/protobuf`, the default, or
 * `http/json`), OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_* for batching.
 */

type Env = Record<string, string | undefined>;

async function createExporter(env: Env): Promise<SpanExporter> {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter();
  }
  if (protocol !== 'http/protobuf') console.warn(`Portcullis API: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported; using http/protobuf`);
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter();
}

export async function startTracing(env: Env): Promise<Tracing> {
  // OTEL_LOG_LEVEL (e.g. `debug`): the SDK's own diagnostics on the console, to find why spans do not arrive.
  const logLevel = env.OTEL_LOG_LEVEL?.trim().toUpperCase() as keyof typeof DiagLogLevel | undefined;
  if (logLevel && logLevel in DiagLogLevel) diag.setLogger(new DiagConsoleLogger(), DiagLogLevel[logLevel]);
  // The API is ES modules: Node's loader must let import-in-the-middle wrap the modules the
  // instrumentations name (only those: the message channel tells the hook which), and this must
  // happen before they are first imported, which is why main.ts calls this first.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const resource = resourceFromAttributes({ 'service.name': 'portcullis-api' }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(await createExporter(env))] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Health probes and scrapes would be most of the spans and tell nothing.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
    ],
  });
  await waitForAllMessagesAcknowledged();
  return { shutdown: () => provider.shutdown() };
}
