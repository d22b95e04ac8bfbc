import { z } from 'zod';
import { endpoint } from '../endpoint.js';

/** Probes, the signing keys and the development outbox: the contract's "Operations" and "Keys". */

const tags = ['system'];

export const health = endpoint({
  method: 'get',
  path: '/healthz',
  auth: 'none',
  tags,
  summary: 'Liveness: 200 while the process runs',
  description: 'Checks nothing beyond the process itself; see `/readyz` for the database.',
  status: 200,
  response: z.object({ status: z.literal('ok') }),
  // Probes have never carried a Cache-Control header; the wire stays as it was.
  cache: false,
});

const Readiness = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable', 'draining']),
    checks: z.object({
      database: z.enum(['ok', 'unavailable']).optional(),
      redis: z.enum(['ok', 'degraded']).optional().meta({ description: 'Only when `REDIS_URL` is set.' }),
    }),
  })
  .meta({ id: 'Readiness' });

export const readiness = endpoint({
  method: 'get',
  path: '/readyz',
  auth: 'none',
  tags,
  summary: 'Readiness: 200 when the database answers',
  description:
    'Answers within a second. `503` with the same body shape when the database does not answer in time (`status: "unavailable"`) or the instance is shutting down after SIGTERM (`status: "draining"`, `checks: {}`). Redis is an accelerator, not a dependency: when it is configured and does not answer, the answer stays `200` with `status: "degraded"` and `checks.redis: "degraded"`.',
  status: 200,
  response: Readiness,
  cache: false,
});

const Jwk = z
  .object({
    kty: z.enum(['OKP', 'EC']),
    crv: z.enum(['Ed25519', 'P-256']),
    x: z.string(),
    y: z.string().optional().meta({ description: 'EC keys (ES256) only.' }),
    kid: z.string().meta({ description: 'The RFC 7638 SHA-256 thumbprint of the key.' }),
    alg: z.enum(['EdDSA', 'ES256']),
    use: z.literal('sig'),
  })
  .meta({ id: 'Jwk' });

export const jwks = endpoint({
  method: 'get',
  path: '/.well-known/jwks.json',
  auth: 'none',
  tags,
  summary: 'The public keys that verify access tokens (JWKS)',
  description:
    'The current signing key, a key published ahead of signing after a rotation, and retired keys whose tokens may still be valid. Cached for 60 s; a verifier that meets an unknown `kid` refetches.',
  status: 200,
  response: z.object({ keys: z.array(Jwk) }),
  // Short caching: verifiers also refetch on an unknown kid, and new keys must show up soon.
  cache: 'public, max-age=60',
});

const OutboxMessage = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  sentAt: z.iso.datetime({ offset: true }).nullable(),
});

export const devOutbox = endpoint({
  method: 'get',
  path: '/api/dev/outbox',
  auth: 'none',
  tags,
  summary: 'Development outbox (not in production, not with SMTP_URL, loopback clients only)',
  description:
    'For development: every message the API sent, newest first (at most 50), so sign-up and reset work without a mail server. Served only when `NODE_ENV` is not `production` and no `SMTP_URL` is set, and only to a client on the same machine: the connection, the client address under `TRUST_PROXY`, and every address in `X-Forwarded-For`/`X-Real-IP` must be loopback, and no `Forwarded` header may be present. Otherwise `404 NOT_FOUND`, as for a route that does not exist.',
  status: 200,
  response: z.object({ messages: z.array(OutboxMessage) }),
  errors: [404],
});
