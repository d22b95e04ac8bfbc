import { Router } from 'express';
import helmet from 'helmet';
import type { AppContext } from '../context.js';
import type { Route } from '../http/route.js';
import type { OpenApiDocument } from '../openapi/generate.js';

/** GET /api/openapi.json and the interactive page at /api/docs (assets served locally). */
export function docsRoutes(ctx: AppContext, routes: Route[]): Router {
  const router = Router();
  // The generator (zod-openapi) and the docs page (swagger-ui) load, and the document is made, on
  // first request, not at start-up: importing them took a quarter of a second of every start (issue 17).
  let document: Promise<OpenApiDocument> | undefined;
  const openApiDocument = () =>
    (document ??= import('../openapi/generate.js').then(({ generateDocument }) =>
      generateDocument({ serverUrl: ctx.config.JWT_ISSUER, endpoints: routes.map((r) => r.endpoint) }),
    ));
  router.get('/openapi.json', async (_req, res) => {
    res.json(await openApiDocument());
  });
  let docsPage: Promise<Router> | undefined;
  const docsRouter = () =>
    (docsPage ??= import('swagger-ui-express').then(({ default: swaggerUi }) =>
      Router().use(swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/api/openapi.json' } })),
    ));
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
  router.use('/docs', docsCsp, async (req, res, next) => {
    (await docsRouter())(req, res, next);
  });
  return router;
}
