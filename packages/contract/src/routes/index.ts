// Every endpoint of the API, by feature. A new endpoint is one `endpoint({...})` in its feature's
// file here and one `route(...)` beside its handler in apps/api/src/routes.
export * as projects from './projects.js';
export * as auth from './auth.js';
export * as account from './account.js';
export * as mfa from './mfa.js';
export * as admin from './admin.js';
export * as system from './system.js';
export * as oauth from './oauth.js';
export * as webhooks from './webhooks.js';
export * as apiKeys from './apiKeys.js';
export * as adminConsole from './adminConsole.js';
export * as passkeys from './passkeys.js';
export * as emailSignIn from './emailSignIn.js';
export * as organizations from './organizations.js';
