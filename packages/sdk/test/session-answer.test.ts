import { describe, expect, it } from 'vitest';
import { auth } from '@portcullis/contract';
import { parseSessionAnswer, parseUser, SESSION_COOKIE } from '@portcullis/sdk';

// GET /api/auth/session as the web app's server and @portcullis/nextjs read it: one parser for both.
const answer = {
  user: {
    id: '0b6f3f5e-1f6a-4d8e-9a43-2f1c5d7e8a90',
    email: 'ada@example.com',
    displayName: 'Ada Lovelace',
    role: 'admin',
    emailVerified: true,
    mfaEnabled: true,
    createdAt: '2026-01-02T03:04:05.000Z',
  },
  session: { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', expiresAt: '2026-02-02T03:04:05.000Z', amr: ['pwd', 'mfa'] },
  adminRequiresMfa: true,
};

describe('parseSessionAnswer', () => {
  it('reads an answer the contract describes', () => {
    // The sample is a real answer: the endpoint's own response schema accepts it.
    expect(auth.session.response.parse(answer)).toEqual(answer);
    expect(parseSessionAnswer(answer)).toEqual({ user: answer.user, expiresAt: answer.session.expiresAt, amr: ['pwd', 'mfa'], adminRequiresMfa: true });
  });

  it('keeps only the contract’s user fields', () => {
    expect(parseSessionAnswer({ ...answer, user: { ...answer.user, passwordHash: 'x' } })?.user).toEqual(answer.user);
  });

  it('refuses an answer without a valid user', () => {
    expect(parseSessionAnswer(null)).toBeNull();
    expect(parseSessionAnswer({ ...answer, user: { ...answer.user, role: 'root' } })).toBeNull();
    expect(parseUser({ ...answer.user, createdAt: undefined })).toBeNull();
  });

  it('reads a missing session part as empty and only true as adminRequiresMfa', () => {
    expect(parseSessionAnswer({ user: answer.user, session: { amr: ['pwd', 7] }, adminRequiresMfa: 'yes' })).toEqual({
      user: answer.user,
      expiresAt: '',
      amr: ['pwd'],
      adminRequiresMfa: false,
    });
  });

  it('names the session cookie the API sets', () => {
    expect(SESSION_COOKIE).toBe('portcullis_session');
  });
});
