import { hasPermission, ROLE_SCOPE, type Permission, type Role as ContractRole } from '@portcullis/sdk/permissions';
import type { Role } from '../db/schema.js';

/**
 * The contract's access-control table lives in the SDK (packages/sdk/src/permissions.ts), so the
 * API and the web app read one copy; this module adds the ownership rules on top.
 */
export { grantsMore, hasPermission, mayAccessAll, PERMISSIONS, ROLE_PERMISSIONS, ROLE_SCOPE, type Permission } from '@portcullis/sdk/permissions';

// The database's roles must be the contract's: a role added on one side only fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _rolesMatch: Same<Role, ContractRole> = true;

export interface Actor {
  id: string;
  role: Role;
}

/** May this actor use `permission` on a resource owned by `ownerId`? */
export function mayAccess(actor: Actor, ownerId: string, permission: Permission): boolean {
  if (actor.id === ownerId) return true;
  return ROLE_SCOPE[actor.role] === 'any' && hasPermission(actor.role, permission);
}
