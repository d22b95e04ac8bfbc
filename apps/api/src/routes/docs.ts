import { Router } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { AppContext } from '../context.js';
import type { Route } from '../http/route.js';
import { generateDocument } from '../openapi/generate.js';

/** GET /api/openapi.json and the interactive page at /api/docs (assets served locally). */
export function docsRoutes(ctx: AppContext, routes: Route[]): Router {
  const router = Router();
  // Generated on first request, not at start-up: a restart serves sooner (issue 17).
  let document: ReturnType<typeof generateDocument> | undefined;
  router.get('/openapi.json', (_req, res) => {
    document ??= generateDocument({ serverUrl: ctx.config.JWT_ISSUER, endpoints: routes.map((r) => r.endpoint) });
    res.json(document);
  });
  // The docs page needs its own scripts and styles; everything else keeps the API's strict CSP.
  const docsCsp = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
      connectSrc: ["'self'"],
    },
  });
  router.use('/docs', docsCsp, swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/api/openapi.json' } }));
  return router;
}
