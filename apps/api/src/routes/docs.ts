import { Router, type IRouter } from 'express';
import helmet from 'helmet';
import type { AppContext } from '../context.js';
import { weakEtag } from '../http/etag.js';
import type { Route } from '../http/route.js';
import type { OpenApiDocument } from '../openapi/generate.js';

/**
 * GET /api/openapi.json and the interactive page at /api/docs (assets served locally), mounted at
 * their full paths on `router` (the app): a router of their own under `/api` was entered, and left,
 * by every other /api request (issue 12: per-request work).
 */
export function mountDocsRoutes(router: IRouter, ctx: AppContext, routes: Route[]): void {
  // The generator (zod-openapi) and the docs page (swagger-ui) load, and the document is made, on
  // first request, not at start-up: importing them took a quarter of a second of every start (issue 17).
  let document: Promise<OpenApiDocument> | undefined;
  const openApiDocument = () =>
    (document ??= import('../openapi/generate.js').then(({ generateDocument }) =>
      generateDocument({ serverUrl: ctx.config.JWT_ISSUER, endpoints: routes.map((r) => r.endpoint) }),
    ));
  // The document never changes while the process runs: its validator is computed once (http/etag.ts).
  let documentEtag: string | undefined;
  router.get('/api/openapi.json', async (_req, res) => {
    const body = await openApiDocument();
    res.setHeader('ETag', (documentEtag ??= weakEtag(JSON.stringify(body))));
    res.json(body);
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
  router.use('/api/docs', docsCsp, async (req, res, next) => {
    (await docsRouter())(req, res, next);
  });
}
