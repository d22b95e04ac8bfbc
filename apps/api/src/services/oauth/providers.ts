import * as client from 'openid-client';
import type { Config } from '../../config.js';

/**
 * Which OAuth / OpenID Connect providers are configured, and the openid-client Configuration of
 * each. A provider is enabled only when its client id and secret are set. Every endpoint can be
 * overridden (tests, self-hosted providers). Plain-http endpoints are allowed only with
 * OAUTH_ALLOW_INSECURE_REQUESTS, which config.ts refuses in production.
 */

export const PROVIDER_IDS = ['google', 'github', 'oidc'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

interface Endpoints {
  authorize?: string;
  token?: string;
  jwks?: string;
}

export type ProviderDefinition =
  | { id: ProviderId; name: string; kind: 'oidc'; issuer: string; clientId: string; clientSecret: string; scope: string; overrides: Endpoints }
  | {
      id: ProviderId;
      name: string;
      kind: 'github';
      clientId: string;
      clientSecret: string;
      scope: string;
      authorizeUrl: string;
      tokenUrl: string;
      apiUrl: string;
    };

export function configuredProviders(config: Config): ProviderDefinition[] {
  const list: ProviderDefinition[] = [];
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) {
    list.push({
      id: 'google',
      name: 'Google',
      kind: 'oidc',
      issuer: config.GOOGLE_ISSUER,
      clientId: config.GOOGLE_CLIENT_ID,
      clientSecret: config.GOOGLE_CLIENT_SECRET,
      scope: 'openid email profile',
      overrides: { authorize: config.GOOGLE_AUTHORIZE_URL, token: config.GOOGLE_TOKEN_URL, jwks: config.GOOGLE_JWKS_URL },
    });
  }
  if (config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET) {
    list.push({
      id: 'github',
      name: 'GitHub',
      kind: 'github',
      clientId: config.GITHUB_CLIENT_ID,
      clientSecret: config.GITHUB_CLIENT_SECRET,
      // read:user for the profile, user:email for /user/emails (the only place the verified flag is).
      scope: 'read:user user:email',
      authorizeUrl: config.GITHUB_AUTHORIZE_URL,
      tokenUrl: config.GITHUB_TOKEN_URL,
      apiUrl: config.GITHUB_API_URL.replace(/\/+$/, ''),
    });
  }
  if (config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET) {
    list.push({
      id: 'oidc',
      name: config.OIDC_NAME,
      kind: 'oidc',
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
      scope: config.OIDC_SCOPES,
      overrides: { authorize: config.OIDC_AUTHORIZE_URL, token: config.OIDC_TOKEN_URL, jwks: config.OIDC_JWKS_URL },
    });
  }
  return list;
}

/** Seconds the client waits for any provider request (discovery, token, JWKS, APIs). */
const PROVIDER_TIMEOUT_SECONDS = 10;

/**
 * The enabled providers of one server, with their client Configuration built on first use.
 * OIDC discovery runs once; a failed discovery is not cached, so a provider that was down works
 * again as soon as it is back.
 */
export class OAuthProviders {
  private readonly byId: Map<string, ProviderDefinition>;
  private readonly clients = new Map<ProviderId, Promise<client.Configuration>>();

  constructor(
    config: Config,
    private readonly allowInsecure = config.OAUTH_ALLOW_INSECURE_REQUESTS,
  ) {
    this.byId = new Map(configuredProviders(config).map((p) => [p.id, p]));
  }

  list(): ProviderDefinition[] {
    return [...this.byId.values()];
  }

  /** Undefined for an unknown or unconfigured provider (so any string from a URL is safe here). */
  get(id: string): ProviderDefinition | undefined {
    return this.byId.get(id);
  }

  configuration(provider: ProviderDefinition): Promise<client.Configuration> {
    let pending = this.clients.get(provider.id);
    if (!pending) {
      pending = this.build(provider);
      pending.catch(() => this.clients.delete(provider.id));
      this.clients.set(provider.id, pending);
    }
    return pending;
  }

  private async build(provider: ProviderDefinition): Promise<client.Configuration> {
    const metadata = provider.kind === 'github' ? githubMetadata(provider) : await this.discover(provider);
    // GitHub only takes the secret in the body; for OIDC, Basic is the spec's default method.
    const supported = metadata.token_endpoint_auth_methods_supported;
    const auth =
      provider.kind === 'oidc' && (!supported || supported.includes('client_secret_basic'))
        ? client.ClientSecretBasic(provider.clientSecret)
        : client.ClientSecretPost(provider.clientSecret);
    const configuration = new client.Configuration(metadata, provider.clientId, provider.clientSecret, auth);
    configuration.timeout = PROVIDER_TIMEOUT_SECONDS;
    if (this.allowInsecure) client.allowInsecureRequests(configuration);
    // Verify the ID token's signature against the provider's JWKS too, not only iss/aud/exp/nonce:
    // defence in depth should TLS to the token endpoint or an override be misconfigured.
    if (provider.kind === 'oidc') client.enableNonRepudiationChecks(configuration);
    return configuration;
  }

  private async discover(provider: Extract<ProviderDefinition, { kind: 'oidc' }>): Promise<client.ServerMetadata> {
    const discovered = await client.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, {
      timeout: PROVIDER_TIMEOUT_SECONDS,
      execute: this.allowInsecure ? [client.allowInsecureRequests] : [],
    });
    const metadata = { ...discovered.serverMetadata() };
    const { authorize, token, jwks } = provider.overrides;
    if (authorize) metadata.authorization_endpoint = authorize;
    if (token) metadata.token_endpoint = token;
    if (jwks) metadata.jwks_uri = jwks;
    return metadata;
  }
}

function githubMetadata(provider: Extract<ProviderDefinition, { kind: 'github' }>): client.ServerMetadata {
  return {
    issuer: 'https://github.com',
    authorization_endpoint: provider.authorizeUrl,
    token_endpoint: provider.tokenUrl,
    code_challenge_methods_supported: ['S256'],
  };
}

/** The name people see for a provider (buttons, mail), also for one no longer configured. */
export function providerName(config: Config, id: string): string {
  if (id === 'google') return 'Google';
  if (id === 'github') return 'GitHub';
  if (id === 'oidc') return config.OIDC_NAME;
  return id;
}

/**
 * Whether a provider's "this address is verified" is believed. Google and GitHub verify addresses
 * before they say so. A generic OIDC provider may let anyone claim any address with
 * `email_verified: true` (a self-service IdP, a misconfigured tenant), so it is believed only when
 * the operator says so (OIDC_TRUST_EMAIL). An unbelieved address counts as unverified everywhere:
 * it never links to an existing account, never verifies a new one, and is stored as unverified.
 */
export function trustsEmailOf(config: Config, id: ProviderId): boolean {
  return id === 'oidc' ? config.OIDC_TRUST_EMAIL : true;
}
