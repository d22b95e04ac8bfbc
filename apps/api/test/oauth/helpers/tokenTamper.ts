import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';

/**
 * A stand-in for a misbehaving or compromised token endpoint: forwards the token request to the
 * real provider, then re-signs the ID token of the answer after changing its claims (with the
 * provider's own key, or another key). Configured in the API with OIDC_TOKEN_URL. With no
 * tampering set it passes answers through unchanged.
 */
export interface TokenTamper {
  url: string;
  /** Set before a flow; cleared with undefined. */
  tamper: ((claims: JWTPayload) => JWTPayload) | undefined;
  /** Sign with this key instead of the provider's (a key not in its JWKS). */
  foreignKey: (JWK & { kid: string; alg: string }) | undefined;
  close(): Promise<void>;
}

export async function startTokenTamper(tokenEndpoint: string, providerKey: JWK & { kid: string; alg: string }): Promise<TokenTamper> {
  const state: TokenTamper = { url: '', tamper: undefined, foreignKey: undefined, close: async () => {} };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) if (req.headers[name]) headers[name] = String(req.headers[name]);
    const upstream = await fetch(tokenEndpoint, { method: 'POST', headers, body: Buffer.concat(chunks) });
    const body = (await upstream.json()) as Record<string, unknown>;
    if (typeof body.id_token === 'string' && (state.tamper || state.foreignKey)) {
      const header = decodeProtectedHeader(body.id_token);
      const claims = (state.tamper ?? ((c) => c))(decodeJwt(body.id_token));
      const key = state.foreignKey ?? providerKey;
      body.id_token = await new SignJWT(claims).setProtectedHeader({ ...header, alg: key.alg, kid: key.kid }).sign(await importJWK(key, key.alg));
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
