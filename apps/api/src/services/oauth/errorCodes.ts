/**
 * The codes an OAuth callback puts in `?error=` when it redirects back to the web app: the
 * contract's lists (packages/contract codes.ts), under the names the API and the web app's tests use.
 */
export { OAUTH_LINK_ERROR_CODES as LINK_ERROR_CODES, OAUTH_LOGIN_ERROR_CODES as LOGIN_ERROR_CODES, type OAuthErrorCode } from '@portcullis/contract/codes';
