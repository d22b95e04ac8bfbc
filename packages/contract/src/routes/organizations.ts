import { z } from 'zod';
import { endpoint } from '../endpoint.js';
import { email, opaqueToken, pagination, projectDescription, projectName, reauthPassword, UUID_PATTERN } from '../fields.js';
import {
  ActiveOrganization,
  InvitationPreview,
  Membership,
  OrgInvitation,
  OrgMember,
  OrgProject,
  orgDomain,
  orgLogoUrl,
  orgName,
  orgRole,
  orgSlug,
} from '../organizations.js';
import { AuditEvent, pageOf } from '../schemas.js';

/**
 * `/api/orgs` (issue 16, beyond the contract): organizations, their members, invitations and
 * projects. Someone who is not a member gets `404` for an organization's routes (not `403`), so
 * organization ids cannot be probed; a member whose role lacks the permission gets `403`. A global
 * admin (`manage_users`) may do anything in any organization.
 */

const tags = ['organizations'];
const extension = true;
const notFound = 'No such organization.';
const access = ' Not a member: `404`; a role without the permission: `403 FORBIDDEN`.';

export const listMyOrganizations = endpoint({
  method: 'get',
  path: '/api/orgs',
  auth: 'bearer',
  tags,
  extension,
  summary: 'The organizations you belong to, with your role in each',
  status: 200,
  response: z.object({ organizations: z.array(Membership) }),
});

export const createOrganization = endpoint({
  method: 'post',
  path: '/api/orgs',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Create an organization; you are its owner',
  description: '`409 CONFLICT` (detail field `slug`) when the slug is taken. Audited as `org.created`.',
  body: z.object({ name: orgName, slug: orgSlug, logoUrl: orgLogoUrl.nullish() }),
  status: 201,
  response: Membership,
  errors: [409],
});

export const getOrganization = endpoint({
  method: 'get',
  path: '/api/orgs/:orgId',
  auth: 'bearer',
  tags,
  extension,
  summary: 'One organization, with your role in it',
  description: `Members and global admins.${access}`,
  status: 200,
  response: Membership,
  errors: [404],
  notFound,
});

export const updateOrganization = endpoint({
  method: 'patch',
  path: '/api/orgs/:orgId',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Rename an organization, change its slug, logo or auto-join domain (`manage_organization`: owners)',
  description: `\`logoUrl: null\` removes the logo. \`autoJoinDomain\` lets people with a verified address at that domain join as members (\`POST /api/orgs/:orgId/join\`); you may set only the domain of your own verified address (\`403\` otherwise). Audited as \`org.updated\`.${access}`,
  body: z
    .object({ name: orgName.optional(), slug: orgSlug.optional(), logoUrl: orgLogoUrl.nullable().optional(), autoJoinDomain: orgDomain.nullable().optional() })
    .refine((v) => v.name !== undefined || v.slug !== undefined || v.logoUrl !== undefined || v.autoJoinDomain !== undefined, {
      message: 'Send a name, slug, logoUrl or autoJoinDomain to change.',
    }),
  status: 200,
  response: Membership,
  errors: [403, 404, 409],
  notFound,
});

export const deleteOrganization = endpoint({
  method: 'delete',
  path: '/api/orgs/:orgId',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Delete an organization and its projects (owners, with re-authentication)',
  description: `The password (or, without one, a sign-in of the last 10 minutes). Its projects, members and invitations go in the same transaction; every member's tokens for it are refused at once. Audited as \`org.deleted\`.${access}`,
  body: z.object({ password: reauthPassword }),
  status: 204,
  errors: [403, 404],
  notFound,
});

export const listMembers = endpoint({
  method: 'get',
  path: '/api/orgs/:orgId/members',
  auth: 'bearer',
  tags,
  extension,
  summary: "An organization's members",
  description: `Every member may see who else is in it.${access}`,
  query: z.object(pagination),
  status: 200,
  response: pageOf('members', OrgMember),
  errors: [404],
  notFound,
});

export const changeMemberRole = endpoint({
  method: 'patch',
  path: '/api/orgs/:orgId/members/:userId',
  auth: 'bearer',
  tags,
  extension,
  summary: "Change a member's role (`manage_members`)",
  description: `Never to a role above your own, nor for a member above you. \`409 CONFLICT\` when it would leave the organization without an owner. Takes effect at once: the member's tokens carrying the old role for it are refused. Audited as \`org.member_role_changed\`.${access}`,
  body: z.object({ role: orgRole }),
  status: 200,
  response: z.object({ member: OrgMember }),
  errors: [403, 404, 409],
  notFound: 'No such member.',
});

export const removeMember = endpoint({
  method: 'delete',
  path: '/api/orgs/:orgId/members/:userId',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Remove a member (`manage_members`), or leave (your own id)',
  description: `Ends the member's access to the organization at once on every instance: their tokens for it are refused (\`401 INVALID_TOKEN\`) and a refresh gives a token without it. \`409 CONFLICT\` for the last owner. Audited as \`org.member_removed\` or \`org.member_left\`.${access}`,
  status: 204,
  errors: [403, 404, 409],
  notFound: 'No such member.',
});

export const transferOwnership = endpoint({
  method: 'post',
  path: '/api/orgs/:orgId/transfer',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Make another member the owner; you become an admin (owners, with re-authentication)',
  description: `Audited as \`org.ownership_transferred\`.${access}`,
  body: z.object({
    userId: z
      .string()
      .regex(UUID_PATTERN, 'userId must be a member id (UUID).')
      .transform((v) => v.toLowerCase()),
    password: reauthPassword,
  }),
  status: 200,
  response: z.object({ members: z.array(OrgMember) }),
  errors: [403, 404],
  notFound,
});

export const listInvitations = endpoint({
  method: 'get',
  path: '/api/orgs/:orgId/invitations',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Pending invitations (`invite`)',
  description: `Neither accepted, revoked nor expired; newest first.${access}`,
  status: 200,
  response: z.object({ invitations: z.array(OrgInvitation) }),
  errors: [403, 404],
  notFound,
});

export const createInvitation = endpoint({
  method: 'post',
  path: '/api/orgs/:orgId/invitations',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Invite someone by email (`invite`)',
  description: `The role is never above your own (\`403 FORBIDDEN\`). A single-use link valid 7 days is mailed. \`409 CONFLICT\` when the address is already a member; a pending invitation for the same address is replaced. \`429 RATE_LIMITED\` beyond the pending invitations per organization or the invitations per person per day. Membership outlives your access token, so inviting re-authenticates (a sign-in of the last 10 minutes, or \`password\`; \`401 INVALID_CREDENTIALS\` otherwise) and is mailed to you. Audited as \`org.invitation_created\`.${access}`,
  body: z.object({ email, role: orgRole, password: reauthPassword }),
  status: 201,
  response: z.object({ invitation: OrgInvitation }),
  errors: [403, 404, 409, 429],
  notFound,
});

export const revokeInvitation = endpoint({
  method: 'delete',
  path: '/api/orgs/:orgId/invitations/:invitationId',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Revoke a pending invitation (`invite`)',
  description: `Its link stops working. Audited as \`org.invitation_revoked\`.${access}`,
  status: 204,
  errors: [403, 404],
  notFound: 'No such invitation.',
});

export const resendInvitation = endpoint({
  method: 'post',
  path: '/api/orgs/:orgId/invitations/:invitationId/resend',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Mail a pending invitation again, with a new link valid 7 days (`invite`)',
  description: `The earlier link stops working. Counts toward the per-person limit. Audited as \`org.invitation_resent\`.${access}`,
  status: 200,
  response: z.object({ invitation: OrgInvitation }),
  errors: [403, 404, 429],
  notFound: 'No such invitation.',
});

export const previewInvitation = endpoint({
  method: 'post',
  path: '/api/orgs/invitations/preview',
  auth: 'none',
  tags,
  extension,
  summary: 'What an invitation link is for: the organization, the invited address and role',
  description:
    'For the accept page, before signing in. The token travels in the body, never in a URL the server logs. A used, revoked, expired or unknown token is `400 INVALID_TOKEN`.',
  body: z.object({ token: opaqueToken }),
  status: 200,
  response: z.object({ invitation: InvitationPreview }),
  errors: [400],
});

export const acceptInvitation = endpoint({
  method: 'post',
  path: '/api/orgs/invitations/accept',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Accept an invitation, signed in as the invited address',
  description:
    'Single use. Another account than the invited address gets `403 FORBIDDEN` (and the invitation stays usable); a used, revoked, expired or unknown token is `400 INVALID_TOKEN`. Audited as `org.invitation_accepted`.',
  body: z.object({ token: opaqueToken }),
  status: 200,
  response: Membership,
  errors: [400, 403],
});

export const switchOrganization = endpoint({
  method: 'post',
  path: '/api/orgs/active',
  auth: 'bearer',
  tags,
  extension,
  summary: "Choose this session's active organization (or none): answered with a new access token",
  description:
    "The token carries `org_id` and `org_role` (beyond the contract's claims) while an organization is active, and so do the session's later refreshes. `organizationId: null` clears it. Not a member: `404`.",
  body: z.object({
    organizationId: z
      .string()
      .regex(UUID_PATTERN, 'organizationId must be an organization id (UUID).')
      .transform((v) => v.toLowerCase())
      .nullable(),
  }),
  status: 200,
  response: ActiveOrganization,
  errors: [404],
  notFound,
});

export const listOrgProjects = endpoint({
  method: 'get',
  path: '/api/orgs/:orgId/projects',
  auth: 'bearer',
  tags,
  extension,
  summary: "The organization's projects (`read_projects`)",
  query: z.object(pagination),
  status: 200,
  response: pageOf('projects', OrgProject),
  errors: [403, 404],
  notFound,
});

export const createOrgProject = endpoint({
  method: 'post',
  path: '/api/orgs/:orgId/projects',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Create a project of the organization (`write_projects`)',
  description: `\`ownerId\` is who created it; the organization's roles decide access.${access}`,
  body: z.object({ name: projectName, description: projectDescription.optional() }),
  status: 201,
  response: z.object({ project: OrgProject }),
  errors: [403, 404],
  notFound,
});

export const getOrgProject = endpoint({
  method: 'get',
  path: '/api/orgs/:orgId/projects/:projectId',
  auth: 'bearer',
  tags,
  extension,
  summary: "Read one of the organization's projects (`read_projects`)",
  status: 200,
  response: z.object({ project: OrgProject }),
  errors: [403, 404],
  notFound: 'No such project.',
});

export const updateOrgProject = endpoint({
  method: 'patch',
  path: '/api/orgs/:orgId/projects/:projectId',
  auth: 'bearer',
  tags,
  extension,
  summary: "Change one of the organization's projects (`write_projects`)",
  body: z
    .object({ name: projectName.optional(), description: projectDescription.optional() })
    .refine((v) => v.name !== undefined || v.description !== undefined, { message: 'Send a name or a description to change.' }),
  status: 200,
  response: z.object({ project: OrgProject }),
  errors: [403, 404],
  notFound: 'No such project.',
});

export const deleteOrgProject = endpoint({
  method: 'delete',
  path: '/api/orgs/:orgId/projects/:projectId',
  auth: 'bearer',
  tags,
  extension,
  summary: "Delete one of the organization's projects (`delete_projects`: owners and admins)",
  status: 204,
  errors: [403, 404],
  notFound: 'No such project.',
});

export const listOrgAudit = endpoint({
  method: 'get',
  path: '/api/orgs/:orgId/audit',
  auth: 'bearer',
  tags,
  extension,
  summary: "The organization's audit events (owners and admins: `manage_members`)",
  description: `Every organization change, newest first.${access}`,
  query: z.object(pagination),
  status: 200,
  response: pageOf('events', AuditEvent),
  errors: [403, 404],
  notFound,
});

export const adminListOrganizations = endpoint({
  method: 'get',
  path: '/api/admin/orgs',
  auth: 'admin',
  tags: ['admin', ...tags],
  extension,
  summary: 'Every organization, with its member count',
  description: '`query` matches name and slug, case-insensitively. Newest first.',
  query: z.object({ query: z.string().trim().max(200, 'query must be at most 200 characters.').optional(), ...pagination }),
  status: 200,
  response: pageOf('organizations', Membership),
});

export const joinByDomain = endpoint({
  method: 'post',
  path: '/api/orgs/:orgId/join',
  auth: 'bearer',
  tags,
  extension,
  summary: 'Join an organization as a member through its auto-join domain',
  description:
    "Your address must be verified and at the organization's `autoJoinDomain`; otherwise `404` (the organization is not revealed). Already a member: your role stays. Audited as `org.member_added`.",
  status: 200,
  response: Membership,
  errors: [404],
  notFound,
});
