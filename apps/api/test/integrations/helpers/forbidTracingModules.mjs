// Preloaded with `node --import` by the tracing test: any import of the OpenTelemetry SDK (or the
// loader hook it installs) fails, so an API that starts and serves under it loaded none of them.
// `@opentelemetry/api` alone is allowed: prom-client requires it (the metrics' exemplars).
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (/^@opentelemetry\\/(?!api$)|^import-in-the-middle/.test(specifier)) throw new Error('tracing module loaded: ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
