import type { AppContext } from '../context.js';
import type { Route } from '../http/route.js';
import { projectRoutes } from './projects.js';

/**
 * Every route defined with `route()` (http/route.ts), mounted at its full path by app.ts. The
 * rate-limit table and the OpenAPI document are read from the same list.
 */
export function apiRoutes(ctx: AppContext): Route[] {
  return [...projectRoutes(ctx)];
}
