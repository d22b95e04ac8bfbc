import { adminPaths } from './admin.js';
import { adminKeyPaths } from './adminKeys.js';
import { accountPaths } from './account.js';
import { authPaths } from './auth.js';
import { components } from './components.js';
import { oauthPaths } from './oauth.js';
import { emailChangePaths } from './profile.js';
import { projectPaths } from './projects.js';

/**
 * The OpenAPI 3.1 description served at /api/openapi.json. Each feature describes its own paths
 * in a file of this folder and is listed here once.
 */
const featurePaths: Record<string, unknown>[] = [authPaths, accountPaths, emailChangePaths, oauthPaths, projectPaths, adminPaths, adminKeyPaths];

export function openApiDocument(options: { serverUrl: string }) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Portcullis API',
      version: '1.0.0',
      description: 'Authentication and authorization: sign-up, login, tokens, sessions, MFA, OAuth, roles. Errors share one shape: `{ error: { code, message, details? }, requestId }`.',
    },
    servers: [{ url: options.serverUrl }],
    paths: Object.assign({}, ...featurePaths),
    components,
  };
}
