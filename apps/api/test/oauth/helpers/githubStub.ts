import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small local server answering GitHub's OAuth and REST endpoints in GitHub's documented shapes:
 * GET /login/oauth/authorize (auto-approves as `signInAs`, or denies), POST /login/oauth/access_token
 * (form body, JSON answer; errors come back as 200 with an `error` field, as GitHub does; PKCE S256
 * checked), GET /user and GET /user/emails (Bearer token).
 */

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean; visibility: 'public' | 'private' | null }[];
}

export interface GitHubStub {
  url: string;
  signInAs: GitHubUser | undefined;
  deny: boolean;
  /** Every token request's form, for assertions. */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

export async function startGitHubStub(client: { clientId: string; clientSecret: string }): Promise<GitHubStub> {
  const codes = new Map<string, { user: GitHubUser; challenge: string; redirectUri: string; used: boolean }>();
  const tokens = new Map<string, GitHubUser>();
  const stub: GitHubStub = { url: '', signInAs: undefined, deny: false, tokenRequests: [], close: async () => {} };

  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, stub.url);
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const redirect = new URL(url.searchParams.get('redirect_uri')!);
      redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
      if (url.searchParams.get('client_id') !== client.clientId || url.searchParams.get('code_challenge_method') !== 'S256') {
        return json(res, 400, { error: 'invalid_request' });
      }
      if (stub.deny || !stub.signInAs) {
        redirect.searchParams.set('error', 'access_denied');
        redirect.searchParams.set('error_description', 'The user has denied your application access.');
      } else {
        const code = randomBytes(10).toString('hex');
        codes.set(code, {
          user: stub.signInAs,
          challenge: url.searchParams.get('code_challenge')!,
          redirectUri: url.searchParams.get('redirect_uri')!,
          used: false,
        });
        redirect.searchParams.set('code', code);
      }
      res.writeHead(302, { location: redirect.toString() });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      stub.tokenRequests.push(form);
      const grant = codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (form.get('client_id') !== client.clientId || form.get('client_secret') !== client.clientSecret) {
        return json(res, 200, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
      }
      if (!grant || grant.used || grant.redirectUri !== form.get('redirect_uri') || grant.challenge !== challenge) {
        return json(res, 200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
      }
      grant.used = true;
      const token = `gho_${randomBytes(16).toString('hex')}`;
      tokens.set(token, grant.user);
      return json(res, 200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const user = tokens.get((req.headers.authorization ?? '').replace(/^(Bearer|token) /i, ''));
    if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) {
      if (!user) return json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      if (url.pathname === '/user') {
        const publicEmail = user.emails.find((e) => e.visibility === 'public')?.email ?? null;
        return json(res, 200, { login: user.login, id: user.id, node_id: `U_${user.id}`, type: 'User', name: user.name, email: publicEmail });
      }
      return json(res, 200, user.emails);
    }
    json(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return stub;
}
