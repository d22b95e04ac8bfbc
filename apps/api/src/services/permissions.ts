import type { Role } from '../db/schema.js';

/** The contract's access-control table, as data: what each role may do beyond its own resources. */
export const PERMISSIONS = ['read', 'write', 'delete', 'manage_users'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  user: ['read'],
  moderator: ['read', 'write', 'delete'],
  admin: ['read', 'write', 'delete', 'manage_users'],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * How far a role's permissions reach beyond the caller's own resources (the contract's "own
 * resources only" for `user`). Everyone may do anything to what they own.
 */
export const ROLE_SCOPE: Record<Role, 'own' | 'any'> = {
  user: 'own',
  moderator: 'any',
  admin: 'any',
};

export interface Actor {
  id: string;
  role: Role;
}

/** May this actor use `permission` on a resource owned by `ownerId`? */
export function mayAccess(actor: Actor, ownerId: string, permission: Permission): boolean {
  if (actor.id === ownerId) return true;
  return ROLE_SCOPE[actor.role] === 'any' && hasPermission(actor.role, permission);
}

/** May this actor use `permission` on everyone's resources (lists with `?all=true`)? */
export function mayAccessAll(role: Role, permission: Permission): boolean {
  return ROLE_SCOPE[role] === 'any' && hasPermission(role, permission);
}
