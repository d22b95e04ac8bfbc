// The OAuth 2.0 client credentials grant (RFC 6749 4.4) against Portcullis, for services: a
// service account's id and secret buy an access token that every verifier (createVerifier)
// accepts, cached until shortly before it expires.
import { joinUrl, readJson, send } from '#sdk/http';
import type { FetchLike } from '#sdk/types';

export interface ClientCredentialsOptions {
  /** Origin (and optional prefix) of the API, e.g. `https://auth.example.com`. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: FetchLike;
  /** Ask again this long before the token expires (default 30 s). */
  refreshMarginMs?: number;
}

export interface ServiceTokenSource {
  /** A live access token for `Authorization: Bearer`, fetched again when near its expiry. */
  accessToken(): Promise<string>;
}

interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export function clientCredentials(options: ClientCredentialsOptions): ServiceTokenSource {
  const margin = options.refreshMarginMs ?? 30_000;
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    // client_secret_basic: each half form-encoded first (RFC 6749 2.3.1).
    const basic = btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`);
    const res = await send(fetchFn, joinUrl(options.baseUrl, '/api/oauth/token'), {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const answer = await readJson<TokenAnswer>(res);
    cached = { token: answer.access_token, until: Date.now() + answer.expires_in * 1000 - margin };
    return answer.access_token;
  }

  return {
    async accessToken() {
      if (cached && Date.now() < cached.until) return cached.token;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}
