import express, { type Express } from 'express';
import type { AppContext } from './context.js';
import './http/types.js';
import { authenticate } from './http/middleware/authenticate.js';
import { bodyParsing } from './http/middleware/bodyParsing.js';
import { cors } from './http/middleware/cors.js';
import { errorHandler, notFoundHandler } from './http/middleware/errorHandler.js';
import { requestLogging } from './http/middleware/logging.js';
import { rateLimit } from './http/middleware/rateLimit.js';
import { requestId } from './http/middleware/requestId.js';
import { securityHeaders } from './http/middleware/securityHeaders.js';
import { adminFallback } from './routes/admin.js';
import { mountDocsRoutes } from './routes/docs.js';
import { mountRoutes } from './http/route.js';
import { apiRoutes } from './routes/index.js';
import { metricsRoute } from './http/metricsEndpoint.js';
import { metricsMiddleware } from './services/metrics.js';

/**
 * The HTTP application. The middleware chain reads top to bottom in the order every request
 * takes. Authorization and validation are per route (the route definition's auth and guards,
 * its body schema), so each route's own chain shows them: auth → authorization → validation → handler.
 */
export function createApp(ctx: AppContext): Express {
  const app = express();
  const routes = apiRoutes(ctx);
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(ctx.config.TRUST_PROXY));
  app.set('query parser', 'simple');
  // No ETag by default: answers a cache may keep and revalidate get theirs from http/etag.ts (route.ts,
  // docs.ts); the rest are no-store or probes, where it was a SHA-1 and a second socket chunk per answer.
  app.set('etag', false);

  app.use(requestId());
  // Only when metrics are on: otherwise a request pays nothing for them.
  if (ctx.config.METRICS_TOKEN !== undefined || ctx.config.METRICS_PORT !== undefined) app.use(metricsMiddleware);
  if (ctx.config.METRICS_TOKEN !== undefined) app.get('/metrics', metricsRoute(ctx.config.METRICS_TOKEN));
  app.use(requestLogging(ctx.logger));
  app.use(securityHeaders({ production: ctx.config.isProduction }));
  app.use(cors(ctx.config.CORS_ORIGINS));
  app.use(rateLimit(ctx, routes));
  app.use(bodyParsing());
  app.use(authenticate(ctx));

  // Routes are mounted on the app itself, at their full paths (no nested router to enter per request).
  mountDocsRoutes(app, ctx, routes);
  mountRoutes(app, ctx, routes);
  // Any other path under /api/admin asks for an admin before its 404 (routes/admin.ts).
  app.use('/api/admin', adminFallback(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** `TRUST_PROXY` names the proxies whose X-Forwarded-For is believed; by default none is. */
function trustProxySetting(value: string): string[] | boolean {
  const list = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  return list.length ? list : false;
}
