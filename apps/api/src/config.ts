import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { isLoopbackHostName, withLoopbackSpellings } from './loopbackOrigins.js';

/**
 * One validated configuration object, read from the environment (and `.env`, loaded by main.ts).
 * A bad value stops the server with one line naming the variable; production refuses insecure settings.
 */

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration such as 30s, 15m, 12h or 7d' });
        return z.NEVER;
      }
      return ms;
    });

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'expected true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(v)));

/** A limit such as `5/15m`: at most 5 within 15 minutes (the window is at least one second). */
const limit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const match = /^(\d{1,9})\/(.+)$/.exec(text.trim());
      const ms = match?.[2] ? parseDuration(match[2]) : null;
      if (!match || ms === null || ms < 1_000 || Number(match[1]) < 1) {
        ctx.addIssue({ code: 'custom', message: 'expected a limit such as 5/15m (count/window, window at least 1s)' });
        return z.NEVER;
      }
      return { points: Number(match[1]), durationMs: ms };
    });

const port = (fallback: number) => z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).default(fallback);

const origin = z.url({ message: 'expected an absolute http(s) URL' }).transform((u) => new URL(u).origin);
const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL' });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port(4000),
  WEB_PORT: port(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().default('.data'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// URL')
    .optional(),
  JWT_ACCESS_TTL: duration('15m'),
  JWT_REFRESH_TTL: duration('7d'),
  SESSION_MAX_AGE: duration('30d'),
  REFRESH_REUSE_GRACE: duration('30s'),
  JWT_ALG: z.enum(['EdDSA', 'ES256'], { message: 'expected EdDSA or ES256' }).default('EdDSA'),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).default('portcullis'),
  KEY_ROTATION_INTERVAL: duration('30d'),
  /**
   * A rotated-in key is published this long before it signs: longer than the bus takes to tell
   * every instance, and than the JWKS's max-age (60 s) so that verifiers and caches have it first.
   */
  KEY_PREPUBLISH: duration('60s'),
  SECRET_KEY: z.string().min(32, 'expected at least 32 characters of random secret').optional(),
  WEB_URL: origin.default('http://localhost:3000'),
  /** Branding, shared with the web app (which reads the same variables): the name, logo and colour of the mails. */
  APP_NAME: z.string().trim().min(1).max(60, 'expected at most 60 characters').default('Portcullis'),
  APP_LOGO_URL: z
    .string()
    .regex(/^https:\/\/[^\s"'<>]+$/, 'expected an https:// URL')
    .optional(),
  APP_ACCENT_COLOR: z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'expected a hex colour such as #4f46e5')
    .optional(),
  CORS_ORIGINS: z.string().optional(),
  COOKIE_SECURE: bool(false).optional(),
  TRUST_PROXY: z.string().default(''),
  PASSWORD_HASH: z.enum(['argon2id', 'bcrypt'], { message: 'expected argon2id or bcrypt' }).default('argon2id'),
  /** Password hashes running at once in this process (services/passwords.ts); default: its cores, or its share of them under start:cluster. */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(256).optional(),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(8),
  PASSWORD_REQUIRE_CLASSES: bool(true),
  RATE_LIMITS: z.enum(['on', 'off'], { message: 'expected on or off' }).default('on'),
  RATE_LIMIT_LOGIN_PER_IP: limit('30/1m'),
  RATE_LIMIT_LOGIN_PER_ACCOUNT_IP: limit('5/15m'),
  RATE_LIMIT_LOGIN_PER_ACCOUNT: limit('100/1h'),
  RATE_LIMIT_REGISTER_PER_IP: limit('10/1h'),
  RATE_LIMIT_PASSWORD_FORGOT: limit('5/1h'),
  RATE_LIMIT_PASSWORD_FORGOT_PER_IP: limit('20/1h'),
  RATE_LIMIT_VERIFY_RESEND: limit('5/1h'),
  RATE_LIMIT_EMAIL_CHANGE: limit('5/1h'),
  KEY_RETIRE_GRACE: duration('5m'),
  CLEANUP_INTERVAL: duration('10m'),
  /** Workers for `npm run start:cluster`; default one per core. */
  CLUSTER_WORKERS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(256).optional(),
  /** On SIGTERM/SIGINT: how long in-flight requests may take to finish before their connections are closed. */
  SHUTDOWN_TIMEOUT: duration('10s'),
  /** Open connections per instance; past it a new connection is answered 503 with Retry-After and closed. */
  MAX_CONNECTIONS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(1_000_000).default(2000),
  /** The embedded database does not flush to disk (fsync is off in PGlite): production refuses it unless this is accept-risk. */
  EMBEDDED_DB_IN_PRODUCTION: z.enum(['refuse', 'accept-risk'], { message: 'expected accept-risk (or refuse)' }).default('refuse'),
  AUDIT_RETENTION: z
    .string()
    .default('forever')
    .transform((text, ctx) => {
      if (text === 'forever') return null;
      const ms = parseDuration(text);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: 'expected forever or a duration such as 365d' });
        return z.NEVER;
      }
      return ms;
    }),
  REQUIRE_EMAIL_VERIFICATION: bool(false),
  /** Admin features (`manage_users`) only for sessions signed in with a second factor (ASVS 4.3.1). */
  ADMIN_REQUIRE_MFA: bool(false),
  /** Wrong second-factor codes in a row, over every sign-in, before the second factor is refused until recovery (NIST 800-63B 5.2.2: 100). */
  MFA_MAX_CONSECUTIVE_FAILURES: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(1_000_000).default(100),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Portcullis <no-reply@localhost>'),
  /** A failed send is retried after MAIL_RETRY_BASE, then twice as long each time (at most 1 h apart). */
  MAIL_RETRY_BASE: duration('30s'),
  MAIL_MAX_ATTEMPTS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(50).default(8),
  /** Webhook targets on private, loopback or link-local addresses are refused (SSRF) unless this is true (tests, internal receivers). */
  WEBHOOK_ALLOW_PRIVATE: bool(false),
  /** A failed webhook delivery is retried after WEBHOOK_RETRY_BASE, then twice as long each time (at most 1 h apart). */
  WEBHOOK_RETRY_BASE: duration('10s'),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number({ message: 'expected a whole number' }).int().min(1).max(50).default(12),
  /** How long one delivery attempt may take before it counts as failed. */
  WEBHOOK_TIMEOUT: duration('10s'),
  /** Finished deliveries (delivered or given up) stay in the delivery log this long, then the cleanup job deletes them. */
  WEBHOOK_LOG_RETENTION: duration('30d'),
  /** `/metrics` (Prometheus) on the API port answers only with `Authorization: Bearer <METRICS_TOKEN>`; unset, it is not routed there. */
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  /** `/metrics` on its own port (bind it to a private interface); unset, no such listener. */
  METRICS_PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).optional(),
  ALLOW_BOOTSTRAP: bool(false),
  BOOTSTRAP_ADMIN_EMAIL: z.email({ message: 'expected an email address' }).optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty`: human-readable lines (pino-pretty), outside production only; default JSON, or pretty at a terminal in development. */
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'expected json or pretty' }).optional(),
  // OAuth / OpenID Connect providers: each is enabled only when its client id and secret are set.
  // Every endpoint can be overridden (tests, self-hosted providers); the defaults are the providers' own.
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  GOOGLE_ISSUER: httpUrl.default('https://accounts.google.com'),
  GOOGLE_AUTHORIZE_URL: httpUrl.optional(),
  GOOGLE_TOKEN_URL: httpUrl.optional(),
  GOOGLE_JWKS_URL: httpUrl.optional(),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  GITHUB_AUTHORIZE_URL: httpUrl.default('https://github.com/login/oauth/authorize'),
  GITHUB_TOKEN_URL: httpUrl.default('https://github.com/login/oauth/access_token'),
  GITHUB_API_URL: httpUrl.default('https://api.github.com'),
  OIDC_ISSUER: httpUrl.optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().trim().min(1).max(60).default('Single sign-on'),
  OIDC_SCOPES: z.string().default('openid email profile'),
  OIDC_AUTHORIZE_URL: httpUrl.optional(),
  OIDC_TOKEN_URL: httpUrl.optional(),
  OIDC_JWKS_URL: httpUrl.optional(),
  /**
   * Whether the generic OIDC provider's `email_verified` is believed: only then does a sign-in link to an
   * existing account with that address, or count the address as verified. Google and GitHub are believed.
   */
  OIDC_TRUST_EMAIL: bool(false),
  /** Passkeys: the relying-party id (a registrable domain); default WEB_URL's host name ('localhost' for a loopback address). */
  WEBAUTHN_RP_ID: z.string().trim().min(1).max(253).optional(),
  /** Passkeys: the origins a ceremony may come from (comma-separated); default WEB_URL (with its loopback spellings outside production). */
  WEBAUTHN_ORIGINS: z.string().optional(),
  WEBAUTHN_RP_NAME: z.string().trim().min(1).max(64).default('Portcullis'),
  /** Sign-in by an emailed code and link (off unless true). */
  EMAIL_SIGNIN: bool(false),
  /** With EMAIL_SIGNIN: a code for an address without an account creates a passwordless account. */
  EMAIL_SIGNUP: bool(false),
  RATE_LIMIT_EMAIL_SIGNIN: limit('5/1h'),
  RATE_LIMIT_EMAIL_SIGNIN_PER_IP: limit('20/1h'),
  /** Lets the OAuth client talk to http:// providers (loopback test providers only); refused in production. */
  OAUTH_ALLOW_INSECURE_REQUESTS: bool(false),
});

type Raw = z.infer<typeof schema>;

export interface Config extends Omit<Raw, 'COOKIE_SECURE' | 'CORS_ORIGINS' | 'JWT_ISSUER' | 'SECRET_KEY' | 'WEBAUTHN_RP_ID' | 'WEBAUTHN_ORIGINS'> {
  /** Passkeys: the relying-party id and the origins a ceremony may come from. */
  WEBAUTHN_RP_ID: string;
  WEBAUTHN_ORIGINS: string[];
  isProduction: boolean;
  COOKIE_SECURE: boolean;
  CORS_ORIGINS: string[];
  JWT_ISSUER: string;
  SECRET_KEY: string;
  /** Messages for the log about settings that were generated or defaulted (development only). */
  notices: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const name = String(issue?.path[0] ?? 'configuration');
    throw new ConfigError(`Invalid configuration: ${name}: ${issue?.message ?? 'invalid'} (got ${JSON.stringify(cleaned[name] ?? null)})`);
  }
  const raw = parsed.data;
  const isProduction = raw.NODE_ENV === 'production';
  const notices: string[] = [];

  const corsOrigins = raw.CORS_ORIGINS
    ? raw.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean)
        .map((o) => parseOrigin(o))
    : [raw.WEB_URL];
  const cookieSecure = raw.COOKIE_SECURE ?? isProduction;

  if (isProduction) {
    if (!raw.SECRET_KEY) throw new ConfigError('Invalid configuration: SECRET_KEY: required in production (at least 32 random characters)');
    if (env.COOKIE_SECURE !== undefined && !cookieSecure) throw new ConfigError('Invalid configuration: COOKIE_SECURE: must not be false in production');
    if (raw.ALLOW_BOOTSTRAP)
      throw new ConfigError('Invalid configuration: ALLOW_BOOTSTRAP: the bootstrap admin is refused in production; create admins with the CLI');
  }
  // memory:// keeps nothing on disk to lose (tests, demos); a data directory can lose or corrupt
  // committed data on an OS crash or power loss, since PGlite never flushes its writes.
  if (isProduction && !raw.DATABASE_URL && raw.DATA_DIR !== 'memory://' && raw.EMBEDDED_DB_IN_PRODUCTION !== 'accept-risk') {
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL: production needs PostgreSQL; the embedded database does not flush writes to disk, so an OS crash or power loss can lose or corrupt data (set EMBEDDED_DB_IN_PRODUCTION=accept-risk to run it anyway)',
    );
  }
  if (isProduction && raw.OAUTH_ALLOW_INSECURE_REQUESTS) {
    throw new ConfigError('Invalid configuration: OAUTH_ALLOW_INSECURE_REQUESTS: plain-http OAuth providers are refused in production');
  }
  checkOAuthPairs(raw);
  if (raw.ALLOW_BOOTSTRAP && (!raw.BOOTSTRAP_ADMIN_EMAIL || !raw.BOOTSTRAP_ADMIN_PASSWORD)) {
    throw new ConfigError('Invalid configuration: BOOTSTRAP_ADMIN_EMAIL: ALLOW_BOOTSTRAP needs BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD');
  }
  if (raw.RATE_LIMITS === 'off') notices.push('RATE_LIMITS=off: every rate limit is disabled');

  let secretKey = raw.SECRET_KEY;
  if (!secretKey) {
    secretKey = developmentSecret(raw.DATA_DIR);
    notices.push(`SECRET_KEY is not set: using a generated development key kept in ${path.join(raw.DATA_DIR, 'secret.key')}`);
  }

  return {
    ...raw,
    isProduction,
    COOKIE_SECURE: cookieSecure,
    // Outside production, also the loopback spellings of a loopback WEB_URL (loopbackOrigins.ts).
    CORS_ORIGINS: withLoopbackSpellings(corsOrigins, raw.WEB_URL, isProduction),
    JWT_ISSUER: raw.JWT_ISSUER ?? `http://localhost:${raw.PORT}`,
    SECRET_KEY: secretKey,
    ...webauthnSettings(raw, isProduction),
    notices,
  };
}

/**
 * The RP id defaults to WEB_URL's host; a browser refuses an IP address as RP id, so a loopback
 * WEB_URL (127.0.0.1, [::1]) gives 'localhost', whose origin is one of its loopback spellings.
 */
function webauthnSettings(raw: Raw, isProduction: boolean): Pick<Config, 'WEBAUTHN_RP_ID' | 'WEBAUTHN_ORIGINS'> {
  const web = new URL(raw.WEB_URL);
  const rpId = raw.WEBAUTHN_RP_ID ?? (isLoopbackHostName(web.hostname) ? 'localhost' : web.hostname);
  const origins = raw.WEBAUTHN_ORIGINS
    ? raw.WEBAUTHN_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean)
        .map((o) => parseOrigin(o, 'WEBAUTHN_ORIGINS'))
    : withLoopbackSpellings([raw.WEB_URL], raw.WEB_URL, isProduction);
  return { WEBAUTHN_RP_ID: rpId.toLowerCase(), WEBAUTHN_ORIGINS: origins };
}

/** A provider half-configured (an id without a secret, a client without an issuer) is a mistake, not a silent "off". */
function checkOAuthPairs(raw: Raw): void {
  const pairs: [string, string | undefined, string, string | undefined][] = [
    ['GOOGLE_CLIENT_ID', raw.GOOGLE_CLIENT_ID, 'GOOGLE_CLIENT_SECRET', raw.GOOGLE_CLIENT_SECRET],
    ['GITHUB_CLIENT_ID', raw.GITHUB_CLIENT_ID, 'GITHUB_CLIENT_SECRET', raw.GITHUB_CLIENT_SECRET],
    ['OIDC_CLIENT_ID', raw.OIDC_CLIENT_ID, 'OIDC_CLIENT_SECRET', raw.OIDC_CLIENT_SECRET],
    ['OIDC_CLIENT_ID', raw.OIDC_CLIENT_ID, 'OIDC_ISSUER', raw.OIDC_ISSUER],
  ];
  for (const [nameA, a, nameB, b] of pairs) {
    if (a && !b) throw new ConfigError(`Invalid configuration: ${nameB}: required when ${nameA} is set`);
    if (b && !a) throw new ConfigError(`Invalid configuration: ${nameA}: required when ${nameB} is set`);
  }
}

function parseOrigin(text: string, name = 'CORS_ORIGINS'): string {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    return url.origin;
  } catch {
    throw new ConfigError(`Invalid configuration: ${name}: expected comma-separated http(s) origins (got ${JSON.stringify(text)})`);
  }
}

/** Outside production a missing SECRET_KEY is generated once and kept beside the embedded database. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
