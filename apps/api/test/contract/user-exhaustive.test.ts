import { randomUUID } from 'node:crypto';
import { User } from '@portcullis/contract';
import { z } from 'zod';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { toPublicUser, type UserWithMfa } from '../../src/services/users.js';

// "Adding a field to User must fail compilation wherever it is not handled" (issue 11). tsc -b
// type-checks this file (npm run check), so the type assertion fails the build, not only the run:
// a field added to the contract's User that toPublicUser does not build (or one it builds that the
// contract does not have) is a compile error here. The web app takes its user from the same schema
// (apps/web/lib/session-check.ts parses with it), so it needs no list of its own.
describe('the API builds exactly the contract User', () => {
  it('toPublicUser returns the contract type: every field and no other', () => {
    expectTypeOf(toPublicUser).returns.toEqualTypeOf<User>();

    const now = new Date('2026-01-02T03:04:05.000Z');
    const row = {
      id: randomUUID(),
      email: 'Ada@Example.com',
      emailNormalized: 'ada@example.com',
      displayName: 'Ada',
      passwordHash: 'not-a-hash',
      role: 'moderator',
      emailVerifiedAt: now,
      secondFactorFailures: 3,
      lockedAt: null,
      lockedReason: null,
      lastSignInAt: now,
      createdAt: now,
      updatedAt: now,
      mfaEnabled: true,
    } satisfies UserWithMfa;
    const user = toPublicUser(row);

    expect(Object.keys(user).sort()).toEqual(Object.keys(User.shape).sort());
    expect(z.strictObject(User.shape).parse(user)).toEqual(user);
    expect(user).toMatchObject({ email: 'Ada@Example.com', role: 'moderator', emailVerified: true, mfaEnabled: true, createdAt: now.toISOString() });
  });
});
