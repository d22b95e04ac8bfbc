import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoint, pageOf, system, User } from '@portcullis/contract';
import { checkErrorResponse, checkResponse, ResponseDriftError } from '../../src/http/responseCheck.js';

/** http/responseCheck.ts: what the test-time drift check refuses and what it lets through. */

const getUser = endpoint({
  method: 'get',
  path: '/api/example/:id',
  auth: 'bearer',
  tags: ['example'],
  summary: 'An example',
  status: 200,
  response: z.object({ user: User, sessions: z.array(z.object({ id: z.uuid(), current: z.boolean() })) }),
});
const list = endpoint({
  method: 'get',
  path: '/api/example',
  auth: 'bearer',
  tags: ['example'],
  summary: 'A list',
  status: 200,
  response: pageOf('users', User),
});

const user = {
  id: '3f6c1c2e-8a51-4d7e-9b0a-2c4e6f8a1b3d',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'admin',
  emailVerified: true,
  mfaEnabled: false,
  createdAt: '2026-12-01T11:00:00.000Z',
};
const session = { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', current: true };
const body = () => structuredClone({ user, sessions: [session] });

const drift = (fn: () => void) => expect(fn).toThrow(ResponseDriftError);

describe('checkResponse', () => {
  it('passes a body that matches its schema exactly', () => {
    expect(() => checkResponse(getUser, body())).not.toThrow();
    expect(() => checkResponse(list, { users: [user, user], total: 2, page: 1, limit: 20 })).not.toThrow();
  });

  it('checks what goes over the wire: a Date is its ISO string, an undefined field is absent', () => {
    expect(() => checkResponse(getUser, { ...body(), user: { ...user, createdAt: new Date('2026-12-01T11:00:00Z') } })).not.toThrow();
    expect(() => checkResponse(getUser, { ...body(), extra: undefined })).not.toThrow();
  });

  it('refuses a missing field', () => {
    const { email: _email, ...withoutEmail } = user;
    drift(() => checkResponse(getUser, { ...body(), user: withoutEmail }));
    drift(() => checkResponse(list, { users: [user], page: 1, limit: 20 }));
  });

  it('refuses a field of the wrong type', () => {
    drift(() => checkResponse(getUser, { ...body(), user: { ...user, emailVerified: 'yes' } }));
    drift(() => checkResponse(getUser, { ...body(), user: { ...user, role: 'root' } }));
    drift(() => checkResponse(list, { users: [user], total: '1', page: 1, limit: 20 }));
  });

  it('refuses a field the schema does not describe, at any depth', () => {
    drift(() => checkResponse(getUser, { ...body(), debug: true }));
    drift(() => checkResponse(getUser, { ...body(), user: { ...user, passwordHash: '$argon2id$…' } }));
    drift(() => checkResponse(getUser, { ...body(), sessions: [{ ...session, refreshToken: 'secret' }] }));
    expect(() => checkResponse(getUser, { ...body(), debug: true })).toThrow(/GET \/api\/example\/:id.*\.debug/);
  });

  it('checks the readiness probe’s 503 bodies, which its handler writes itself (routes/health.ts)', () => {
    expect(() => checkResponse(system.readiness, { status: 'draining', checks: {} })).not.toThrow();
    expect(() => checkResponse(system.readiness, { status: 'unavailable', checks: { database: 'unavailable' } })).not.toThrow();
    drift(() => checkResponse(system.readiness, { status: 'unavailable', checks: { database: 'down' } }));
  });

  it('has nothing to check for an endpoint without a response body', () => {
    expect(() => checkResponse({ method: 'delete', path: '/api/example/:id', response: undefined }, undefined)).not.toThrow();
  });
});

describe('checkErrorResponse', () => {
  const error = (code: string, details?: unknown) => ({ error: { code, message: 'Something.', ...(details ? { details } : {}) }, requestId: 'req-1' });

  it('passes the error shape with a status its code allows', () => {
    expect(() => checkErrorResponse(404, error('NOT_FOUND'))).not.toThrow();
    expect(() => checkErrorResponse(400, error('VALIDATION_FAILED', [{ field: 'email', message: 'Enter your email address.' }]))).not.toThrow();
    // A code with two statuses: both are fine.
    expect(() => checkErrorResponse(400, error('INVALID_TOKEN'))).not.toThrow();
    expect(() => checkErrorResponse(401, error('INVALID_TOKEN'))).not.toThrow();
  });

  it('refuses an error code with a status the table does not allow', () => {
    drift(() => checkErrorResponse(400, error('NOT_FOUND')));
    drift(() => checkErrorResponse(403, error('UNAUTHENTICATED')));
    expect(() => checkErrorResponse(500, error('LAST_ADMIN'))).toThrow(/LAST_ADMIN.*500.*409/);
  });

  it('refuses a body that is not the error shape', () => {
    drift(() => checkErrorResponse(404, { error: { code: 'NOT_FOUND' }, requestId: 'req-1' }));
    drift(() => checkErrorResponse(404, { error: { code: 'NOT_FOUND', message: 'x' } }));
    drift(() => checkErrorResponse(418, error('I_AM_A_TEAPOT')));
    drift(() => checkErrorResponse(400, error('VALIDATION_FAILED', [{ field: 'email' }])));
  });
});
