import * as client from 'openid-client';
import type { OAuthProviders, ProviderDefinition } from './providers.js';

/**
 * The authorization code flow itself, delegated to openid-client: PKCE S256, state, and for
 * OpenID Connect a nonce and full ID token validation (signature against the provider's JWKS,
 * iss, aud, azp, exp, iat, nonce). What comes out is a provider-neutral profile.
 */

export interface ProviderProfile {
  /** The provider's stable id for the person (`sub`, or GitHub's numeric id). */
  subject: string;
  email: string | null;
  /** True only when the provider itself says the address is verified. */
  emailVerified: boolean;
  name: string | null;
}

/** The secrets of one flow, kept in the encrypted state cookie until the callback. */
export interface FlowSecrets {
  state: string;
  codeVerifier: string;
  nonce?: string;
}

/** Thrown for any failure of the exchange; `reason` is for the log and the audit event, never for the person. */
export class OAuthFlowError extends Error {
  override name = 'OAuthFlowError';
  constructor(
    readonly code: 'oauth_exchange_failed' | 'oauth_profile_failed' | 'oauth_provider_unavailable',
    readonly reason: string,
  ) {
    super(reason);
  }
}

export async function beginAuthorization(
  providers: OAuthProviders,
  provider: ProviderDefinition,
  redirectUri: string,
): Promise<{ url: URL; secrets: FlowSecrets }> {
  const configuration = await providers.configuration(provider).catch((error: unknown) => {
    throw new OAuthFlowError('oauth_provider_unavailable', describe(error));
  });
  const secrets: FlowSecrets = {
    state: client.randomState(),
    codeVerifier: client.randomPKCECodeVerifier(),
    nonce: provider.kind === 'oidc' ? client.randomNonce() : undefined,
  };
  const parameters: Record<string, string> = {
    redirect_uri: redirectUri,
    scope: provider.scope,
    code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
    code_challenge_method: 'S256',
    state: secrets.state,
  };
  if (secrets.nonce) parameters.nonce = secrets.nonce;
  return { url: client.buildAuthorizationUrl(configuration, parameters), secrets };
}

/**
 * Validates the authorization response (state, and `iss` where the provider announces it) and
 * exchanges the code. `callbackUrl` is the redirect_uri the provider was given plus the query
 * the browser brought back: the token request must repeat that exact redirect_uri.
 */
export async function completeAuthorization(
  providers: OAuthProviders,
  provider: ProviderDefinition,
  callbackUrl: URL,
  secrets: FlowSecrets,
): Promise<ProviderProfile> {
  const configuration = await providers.configuration(provider).catch((error: unknown) => {
    throw new OAuthFlowError('oauth_provider_unavailable', describe(error));
  });
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: secrets.codeVerifier,
      expectedState: secrets.state,
      ...(provider.kind === 'oidc' ? { expectedNonce: secrets.nonce, idTokenExpected: true } : {}),
    });
  } catch (error) {
    throw new OAuthFlowError('oauth_exchange_failed', describe(error));
  }
  try {
    return provider.kind === 'github' ? await githubProfile(configuration, provider, tokens.access_token) : await oidcProfile(configuration, tokens);
  } catch (error) {
    throw new OAuthFlowError('oauth_profile_failed', describe(error));
  }
}

async function oidcProfile(
  configuration: client.Configuration,
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
): Promise<ProviderProfile> {
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  let source: Record<string, unknown> = claims;
  // Some providers put email only in UserInfo; its `sub` must match the ID token's (checked by the library).
  if (typeof claims.email !== 'string' && configuration.serverMetadata().userinfo_endpoint) {
    source = { ...(await client.fetchUserInfo(configuration, tokens.access_token, claims.sub)), sub: claims.sub };
  }
  const email = typeof source.email === 'string' && source.email.includes('@') ? source.email.trim() : null;
  return {
    subject: claims.sub,
    email,
    // Strictly true: a missing claim, or any other value, means "not verified".
    emailVerified: email !== null && (source.email_verified === true || source.email_verified === 'true'),
    name: typeof source.name === 'string' ? source.name : null,
  };
}

interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
}
interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/**
 * GitHub is OAuth 2.0 without OIDC: the profile comes from its REST API. Only the primary email
 * is taken, and it counts as verified only when GitHub says so (`/user/emails`); the public
 * `email` of `/user` is ignored (it carries no verification flag).
 */
async function githubProfile(
  configuration: client.Configuration,
  provider: Extract<ProviderDefinition, { kind: 'github' }>,
  accessToken: string,
): Promise<ProviderProfile> {
  const user = (await githubGet(configuration, `${provider.apiUrl}/user`, accessToken)) as GitHubUser;
  if (typeof user?.id !== 'number' && typeof user?.id !== 'string') throw new Error('GitHub /user has no id');
  const emails = (await githubGet(configuration, `${provider.apiUrl}/user/emails`, accessToken)) as GitHubEmail[];
  if (!Array.isArray(emails)) throw new Error('GitHub /user/emails is not a list');
  const primary = emails.find((e) => e && e.primary === true && typeof e.email === 'string');
  return {
    subject: String(user.id),
    email: primary ? primary.email.trim() : null,
    emailVerified: primary?.verified === true,
    name: (typeof user.name === 'string' && user.name.trim()) || (typeof user.login === 'string' ? user.login : null),
  };
}

async function githubGet(configuration: client.Configuration, url: string, accessToken: string): Promise<unknown> {
  const headers = new Headers({ accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'Portcullis' });
  const response = await client.fetchProtectedResource(configuration, accessToken, new URL(url), 'GET', null, headers);
  if (!response.ok) throw new Error(`GitHub ${new URL(url).pathname} answered ${response.status}`);
  return response.json();
}

/** The library's error chain, flattened for the log and the audit event (claim names, the provider's error code; never a token). */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 3; depth += 1) {
    const { code, error: oauthError, message } = current as Error & { code?: unknown; error?: unknown };
    parts.push([typeof code === 'string' ? code : '', typeof oauthError === 'string' ? oauthError : '', message].filter(Boolean).join(' '));
    current = current.cause;
  }
  // GitHub answers a bad code with 200 and `{ error }`: the library reports a missing access_token; name GitHub's reason.
  const body = (current as { body?: { error?: unknown } } | undefined)?.body;
  if (typeof body?.error === 'string') parts.push(`provider error ${body.error.slice(0, 64)}`);
  return parts.join(' <- ').slice(0, 500) || 'unknown error';
}
