import { Router } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { AppContext } from '../context.js';
import type { Route } from '../http/route.js';
import { generateDocument } from '../openapi/generate.js';

/** GET /api/openapi.json and the interactive page at /api/docs (assets served locally). */
export function docsRoutes(ctx: AppContext, routes: Route[]): Router {
  const router = Router();
  const document = generateDocument({ serverUrl: ctx.config.JWT_ISSUER, endpoints: routes.map((r) => r.endpoint) });
  router.get('/openapi.json', (_req, res) => {
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
  router.use('/docs', docsCsp, swaggerUi.serve, swaggerUi.setup(document, { swaggerOptions: { url: '/api/openapi.json' } }));
  return router;
}
