import { z } from 'zod';
import { ROLES } from './access.js';
import { ERROR_CODES, MFA_METHODS, type ErrorCode } from './codes.js';

/**
 * The shapes every response is made of. Each carries a stable `id` (its OpenAPI component name).
 * The API's mappers are typed by them (`satisfies User`), so a field added here fails compilation
 * wherever a user is built without it; the SDK and the web app import the types only.
 */

const timestamp = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 timestamp.' });
const uuid = z.uuid();

const role = z.enum(ROLES).meta({ id: 'Role' });

/** `user` in every response: never a hash, secret or token. */
export const User = z
  .object({
    id: uuid,
    email: z.string(),
    displayName: z.string(),
    role,
    emailVerified: z.boolean(),
    mfaEnabled: z.boolean(),
    createdAt: timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

/** One entry of `GET /api/auth/sessions`. */
export const Session = z
  .object({
    id: uuid,
    createdAt: timestamp,
    lastActiveAt: timestamp.meta({ description: 'Updated by every refresh.' }),
    expiresAt: timestamp.meta({ description: 'Idle expiry, pushed forward by every refresh; never past SESSION_MAX_AGE after the login.' }),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    device: z
      .string()
      .nullable()
      .meta({ examples: ['Firefox on Windows'] }),
    current: z.boolean().meta({ description: 'True for the session this client is using.' }),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;

/** The contract's example protected resource (`/api/projects`). */
export const Project = z
  .object({ id: uuid, ownerId: uuid, name: z.string(), description: z.string(), createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: 'Project' });
export type Project = z.infer<typeof Project>;

/** One entry of the admin audit log; `details` never holds a secret. */
export const AuditEvent = z
  .object({
    id: uuid,
    type: z.string(),
    userId: uuid.nullable(),
    actorId: uuid.nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: timestamp,
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Body of a successful register, login, login/mfa or refresh. */
export const AuthResult = z
  .object({
    user: User,
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Access-token lifetime in seconds, counted from when the response arrives.' }),
    refreshToken: z.string().optional().meta({ description: 'Only with `X-Token-Transport: body`.' }),
  })
  .meta({ id: 'AuthResult' });
export type AuthResult = z.infer<typeof AuthResult>;

/** Login answer for an account with MFA: no tokens yet, finish with `POST /api/auth/login/mfa`. */
export const MfaChallenge = z
  .object({
    mfaRequired: z.literal(true),
    mfaToken: z.string().meta({ description: 'Valid 5 minutes.' }),
    methods: z.array(z.enum(MFA_METHODS)),
    passkey: z
      .literal(true)
      .optional()
      .meta({ description: 'Not in the contract: present when the account has a passkey, usable instead of a code (`POST /api/auth/login/mfa/passkey`).' }),
  })
  .meta({ id: 'MfaChallenge' });
export type MfaChallenge = z.infer<typeof MfaChallenge>;

export const FieldIssue = z.object({ field: z.string(), message: z.string() }).meta({ id: 'FieldIssue' });
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The one error shape of every failure. */
export const ErrorBody = z
  .object({
    error: z.object({ code: z.enum(ERROR_CODES as unknown as [ErrorCode, ...ErrorCode[]]), message: z.string(), details: z.array(FieldIssue).optional() }),
    requestId: z.string(),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A page of a list: the items under their own key, with `total`, `page` and `limit`. */
export const pageOf = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.object({ [key]: z.array(item), total: z.number().int(), page: z.number().int(), limit: z.number().int() } as { [P in K]: z.ZodArray<T> } & {
    total: z.ZodNumber;
    page: z.ZodNumber;
    limit: z.ZodNumber;
  });
