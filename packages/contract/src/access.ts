// The contract's access-control table ("Access control" in the HTTP contract), as data. This is
// the only copy: the API enforces it, the SDK re-exports it, clients use it
// for display decisions only. No imports, so the API can load it without the browser client.

export const ROLES = Object.freeze(['user', 'moderator', 'admin'] as const);
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = Object.freeze(['read', 'write', 'delete', 'manage_users'] as const);
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do. Frozen: a caller that mutated it would change the rules for everyone. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  user: Object.freeze(['read'] as const),
  moderator: Object.freeze(['read', 'write', 'delete'] as const),
  admin: Object.freeze(['read', 'write', 'delete', 'manage_users'] as const),
});

/**
 * How far a role's permissions reach beyond the caller's own resources (the contract's "own
 * resources only" for `user`). Everyone may do anything to what they own.
 */
export type Scope = 'own' | 'any';
export const ROLE_SCOPE: Readonly<Record<Role, Scope>> = Object.freeze({
  user: 'own',
  moderator: 'any',
  admin: 'any',
});

// Roles arrive over the network (tokens, session answers): an unknown one, or an inherited
// property name like "constructor", has no permission rather than throwing.
const isRole = (role: string): role is Role => Object.hasOwn(ROLE_PERMISSIONS, role);

export function hasPermission(role: Role, permission: Permission): boolean {
  return isRole(role) && ROLE_PERMISSIONS[role].includes(permission);
}

/** May this role use `permission` on everyone's resources (lists with `?all=true`)? */
export function mayAccessAll(role: Role, permission: Permission): boolean {
  return isRole(role) && ROLE_SCOPE[role] === 'any' && hasPermission(role, permission);
}

/**
 * Does `to` allow anything `from` does not (a permission, or reaching beyond one's own resources)?
 * Giving such a role outlives the giver's access token, so the API re-authenticates it.
 */
export function grantsMore(from: Role, to: Role): boolean {
  const gainsPermission = ROLE_PERMISSIONS[to].some((permission) => !hasPermission(from, permission));
  return gainsPermission || (ROLE_SCOPE[from] === 'own' && ROLE_SCOPE[to] === 'any');
}

// Organizations (issue 16, an extension): a role per member, beside the global role above. The
// global roles keep their meaning; a global admin (`manage_users`) may do anything in any organization.

export const ORG_ROLES = Object.freeze(['owner', 'admin', 'member'] as const);
export type OrgRole = (typeof ORG_ROLES)[number];

export const ORG_PERMISSIONS = Object.freeze([
  'manage_organization',
  'manage_members',
  'invite',
  'read_projects',
  'write_projects',
  'delete_projects',
] as const);
export type OrgPermission = (typeof ORG_PERMISSIONS)[number];

/** What each organization role may do in its organization. Frozen like ROLE_PERMISSIONS. */
export const ORG_ROLE_PERMISSIONS: Readonly<Record<OrgRole, readonly OrgPermission[]>> = Object.freeze({
  owner: Object.freeze(['manage_organization', 'manage_members', 'invite', 'read_projects', 'write_projects', 'delete_projects'] as const),
  admin: Object.freeze(['manage_members', 'invite', 'read_projects', 'write_projects', 'delete_projects'] as const),
  member: Object.freeze(['read_projects', 'write_projects'] as const),
});

/** Higher ranks may grant and manage lower or equal ones, never above their own. */
export const ORG_ROLE_RANK: Readonly<Record<OrgRole, number>> = Object.freeze({ owner: 3, admin: 2, member: 1 });

export const isOrgRole = (role: unknown): role is OrgRole => typeof role === 'string' && Object.hasOwn(ORG_ROLE_PERMISSIONS, role);

export function hasOrgPermission(role: string | undefined | null, permission: OrgPermission): boolean {
  return isOrgRole(role) && ORG_ROLE_PERMISSIONS[role].includes(permission);
}

/** May someone with role `actor` give role `target` (or act on a member who has it)? */
export const orgRoleAtMost = (target: OrgRole, actor: OrgRole): boolean => ORG_ROLE_RANK[target] <= ORG_ROLE_RANK[actor];
