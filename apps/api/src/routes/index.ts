import type { AppContext } from '../context.js';
import type { Route } from '../http/route.js';
import { accountRoutes } from './account.js';
import { adminRoutes } from './admin.js';
import { adminConsoleRoutes } from './adminConsole.js';
import { adminKeyRoutes } from './adminKeys.js';
import { apiKeyRoutes } from './apiKeys.js';
import { coreAuthRoutes } from './auth.js';
import { devOutboxRoutes } from './devOutbox.js';
import { emailSignInRoutes } from './emailSignIn.js';
import { healthEndpoints } from './health.js';
import { oauthRoutes } from './oauth.js';
import { passkeyRoutes } from './passkeys.js';
import { organizationRoutes } from './organizations.js';
import { projectRoutes } from './projects.js';
import { webhookRoutes } from './webhooks.js';
import { wellKnownEndpoints } from './wellKnown.js';

/**
 * Every route defined with `route()` (http/route.ts), mounted at its full path by app.ts. The
 * rate-limit table and the OpenAPI document are read from the same list.
 */
export function apiRoutes(ctx: AppContext): Route[] {
  return [
    // The probes and the keys first: the most frequent requests match at once.
    ...healthEndpoints(ctx),
    ...wellKnownEndpoints(ctx),
    ...coreAuthRoutes(ctx),
    ...projectRoutes(ctx),
    ...organizationRoutes(ctx),
    ...oauthRoutes(ctx),
    ...accountRoutes(ctx),
    ...passkeyRoutes(ctx),
    ...emailSignInRoutes(ctx),
    ...adminRoutes(ctx),
    ...adminConsoleRoutes(ctx),
    ...adminKeyRoutes(ctx),
    ...webhookRoutes(ctx),
    ...apiKeyRoutes(ctx),
    // Only when devOutboxEnabled (not production, no SMTP_URL): otherwise no route at all.
    ...devOutboxRoutes(ctx),
  ];
}
