import { describe, expect, it } from 'vitest';
import { decodeUserHeader, encodeUserHeader } from '../lib/session-check.js';

// The user proxy.ts hands to server components: exactly the contract's fields, each checked
// (the check is typed by the contract's User, so a new field fails compilation until handled).
const user = {
  id: '0b6f3f5e-1f6a-4d8e-9a43-2f1c5d7e8a90',
  email: 'ada@example.com',
  displayName: 'Ada Lovelace',
  role: 'moderator',
  emailVerified: true,
  mfaEnabled: false,
  createdAt: '2026-01-02T03:04:05.000Z',
} as const;
const header = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('the user header', () => {
  it('carries every field of the user, unchanged', () => {
    expect(decodeUserHeader(encodeUserHeader(user))).toEqual(user);
  });

  it('drops fields the contract does not have', () => {
    expect(decodeUserHeader(header({ ...user, passwordHash: 'x', isAdmin: true }))).toEqual(user);
  });

  it.each([
    ['an unknown role', { ...user, role: 'root' }],
    ['an inherited name as role', { ...user, role: 'constructor' }],
    ['a missing field', { ...user, createdAt: undefined }],
    ['a field of the wrong type', { ...user, emailVerified: 'yes' }],
    ['not an object', 'ada'],
  ])('refuses %s', (_name, value) => {
    expect(decodeUserHeader(header(value))).toBeNull();
  });

  it('refuses what is not base64url JSON', () => {
    expect(decodeUserHeader('%%%')).toBeNull();
  });
});
