// The contract's access-control table and the checks on it.
import { describe, expect, it } from 'vitest';
import { hasPermission, mayAccessAll, PERMISSIONS, ROLE_PERMISSIONS, ROLE_SCOPE, ROLES, type Permission, type Role } from '../src/index.js';

describe('the table', () => {
  it('is the contract’s "Access control" table', () => {
    expect(ROLES).toEqual(['user', 'moderator', 'admin']);
    expect(PERMISSIONS).toEqual(['read', 'write', 'delete', 'manage_users']);
    expect(ROLE_PERMISSIONS).toEqual({
      user: ['read'],
      moderator: ['read', 'write', 'delete'],
      admin: ['read', 'write', 'delete', 'manage_users'],
    });
    // `user`: own resources only; moderator and admin: everyone's.
    expect(ROLE_SCOPE).toEqual({ user: 'own', moderator: 'any', admin: 'any' });
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(ROLE_PERMISSIONS)).toBe(true);
    for (const role of ROLES) expect(Object.isFrozen(ROLE_PERMISSIONS[role])).toBe(true);
    expect(Object.isFrozen(ROLE_SCOPE)).toBe(true);
    expect(() => (ROLE_PERMISSIONS.user as Permission[]).push('manage_users')).toThrow(TypeError);
    expect(hasPermission('user', 'manage_users')).toBe(false);
  });

  it('is the very object the API enforces, not a copy', async () => {
    // Through a variable, so this package's tsc does not pull the API's sources into its project.
    const apiModule = '../../../apps/api/src/services/permissions.js';
    const api = (await import(/* @vite-ignore */ apiModule)) as Record<string, unknown>;
    expect(api.ROLE_PERMISSIONS).toBe(ROLE_PERMISSIONS);
    expect(api.ROLE_SCOPE).toBe(ROLE_SCOPE);
    expect(api.hasPermission).toBe(hasPermission);
  });
});

describe('hasPermission', () => {
  const expected: Record<Role, Permission[]> = {
    user: ['read'],
    moderator: ['read', 'write', 'delete'],
    admin: ['read', 'write', 'delete', 'manage_users'],
  };

  it.each(ROLES.flatMap((role) => PERMISSIONS.map((permission) => [role, permission] as const)))('%s may %s: as the table says', (role, permission) => {
    expect(hasPermission(role, permission)).toBe(expected[role].includes(permission));
  });

  it('gives an unknown role nothing, and does not throw on inherited property names', () => {
    for (const role of ['guest', '', 'Admin', 'constructor', '__proto__', 'toString']) {
      expect(hasPermission(role as Role, 'read')).toBe(false);
      expect(mayAccessAll(role as Role, 'read')).toBe(false);
    }
  });

  it('gives an unknown permission to nobody', () => {
    for (const role of ROLES) expect(hasPermission(role, 'superuser' as Permission)).toBe(false);
  });
});

describe('mayAccessAll', () => {
  it('reaches everyone’s resources only for moderator and admin, and only with the permission', () => {
    expect(mayAccessAll('user', 'read')).toBe(false);
    expect(mayAccessAll('moderator', 'read')).toBe(true);
    expect(mayAccessAll('moderator', 'delete')).toBe(true);
    expect(mayAccessAll('moderator', 'manage_users')).toBe(false);
    expect(mayAccessAll('admin', 'manage_users')).toBe(true);
  });
});
