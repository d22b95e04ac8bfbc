/**
 * Optional OpenTelemetry tracing (issue 15), switched on by OpenTelemetry's own environment
 * variables, so an operator configures it as for any other service. This file imports nothing:
 * with those variables unset no tracing code is loaded at all (start-up time, docs/performance.md).
 * When they are set, main.ts starts it (./sdk.ts) before the server and the database client load,
 * so that express, pg and node:http are instrumented as they are first imported.
 */

type Env = Record<string, string | undefined>;

export interface Tracing {
  /** Sends the spans still buffered and stops (at shutdown: a batch waiting to go would be lost). */
  shutdown(): Promise<void>;
}

/**
 * True when an OTLP trace exporter is configured: `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_TRACES_EXPORTER=otlp`. `OTEL_SDK_DISABLED=true`
 * and `OTEL_TRACES_EXPORTER=none` switch it off whatever else is set.
 */
export function tracingRequested(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  if (exporters.includes('none')) return false;
  return exporters.includes('otlp') || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** Starts tracing when requested; otherwise loads nothing and returns undefined. */
export async function startTracingIfRequested(env: Env = process.env): Promise<Tracing | undefined> {
  if (!tracingRequested(env)) return undefined;
  const { startTracing } = await import('./sdk.js');
  return startTracing(env);
}
