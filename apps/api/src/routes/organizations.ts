import { organizations as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import type { AccessClaims } from '../services/accessTokens.js';
import type { OrgActor } from '../services/orgs/access.js';
import { switchOrganization } from '../services/orgs/activeOrganization.js';
import { listOrgAudit } from '../services/orgs/audit.js';
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, resendInvitation, revokeInvitation } from '../services/orgs/invitations.js';
import { changeMemberRole, listMembers, removeMember, transferOwnership } from '../services/orgs/members.js';
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  joinByDomain,
  listAllOrganizations,
  listMyOrganizations,
  updateOrganization,
} from '../services/orgs/organizations.js';
import { createOrgProject, deleteOrgProject, getOrgProject, listOrgProjects, updateOrgProject } from '../services/orgs/projects.js';

/**
 * `/api/orgs` (issue 16): organizations, members, invitations, the active organization and the
 * organization's projects. Every rule is checked by the services against the database (services/orgs).
 */

const actorOf = (auth: AccessClaims): OrgActor & { sessionId: string } => ({ userId: auth.sub, globalRole: auth.role, sessionId: auth.sid });

export function organizationRoutes(ctx: AppContext): Route[] {
  return [
    route(endpoints.listMyOrganizations, {
      handler: async ({ auth }) => ({ organizations: await listMyOrganizations(ctx.db, auth.sub) }),
    }),
    route(endpoints.createOrganization, {
      handler: ({ auth, body, req }) => createOrganization(ctx, actorOf(auth), body, requestMeta(req)),
    }),
    // Fixed paths before `/api/orgs/:orgId/...` patterns they could be mistaken for.
    route(endpoints.switchOrganization, {
      handler: ({ auth, body }) => switchOrganization(ctx, auth, body.organizationId),
    }),
    route(endpoints.previewInvitation, {
      handler: async ({ body }) => ({ invitation: await previewInvitation(ctx.db, body.token) }),
    }),
    route(endpoints.acceptInvitation, {
      handler: ({ auth, body, req }) => acceptInvitation(ctx, actorOf(auth), body.token, requestMeta(req)),
    }),
    route(endpoints.getOrganization, {
      handler: ({ auth, params }) => getOrganization(ctx.db, params.orgId, actorOf(auth)),
    }),
    route(endpoints.updateOrganization, {
      handler: ({ auth, body, params, req }) => updateOrganization(ctx, params.orgId, actorOf(auth), body, requestMeta(req)),
    }),
    route(endpoints.joinByDomain, {
      handler: ({ auth, params, req }) => joinByDomain(ctx, params.orgId, actorOf(auth), requestMeta(req)),
    }),
    route(endpoints.deleteOrganization, {
      async handler({ auth, body, params, req }) {
        await deleteOrganization(ctx, params.orgId, actorOf(auth), body.password, requestMeta(req));
      },
    }),
    route(endpoints.listMembers, {
      handler: ({ auth, params, query: { page, limit } }) => listMembers(ctx.db, params.orgId, actorOf(auth), { page, limit }),
    }),
    route(endpoints.changeMemberRole, {
      handler: async ({ auth, body, params, req }) => ({
        member: await changeMemberRole(ctx, params.orgId, actorOf(auth), params.userId, body.role, requestMeta(req)),
      }),
    }),
    route(endpoints.removeMember, {
      async handler({ auth, params, req }) {
        await removeMember(ctx, params.orgId, actorOf(auth), params.userId, requestMeta(req));
      },
    }),
    route(endpoints.transferOwnership, {
      handler: async ({ auth, body, params, req }) => ({
        members: await transferOwnership(ctx, params.orgId, actorOf(auth), body.userId, body.password, requestMeta(req)),
      }),
    }),
    route(endpoints.listInvitations, {
      handler: async ({ auth, params }) => ({ invitations: await listInvitations(ctx.db, params.orgId, actorOf(auth)) }),
    }),
    route(endpoints.createInvitation, {
      handler: async ({ auth, body, params, req }) => ({ invitation: await createInvitation(ctx, params.orgId, actorOf(auth), body, requestMeta(req)) }),
    }),
    route(endpoints.revokeInvitation, {
      async handler({ auth, params, req }) {
        await revokeInvitation(ctx, params.orgId, actorOf(auth), params.invitationId, requestMeta(req));
      },
    }),
    route(endpoints.resendInvitation, {
      handler: async ({ auth, params, req }) => ({
        invitation: await resendInvitation(ctx, params.orgId, actorOf(auth), params.invitationId, requestMeta(req)),
      }),
    }),
    route(endpoints.listOrgProjects, {
      handler: ({ auth, params, query: { page, limit } }) => listOrgProjects(ctx.db, params.orgId, actorOf(auth), { page, limit }),
    }),
    route(endpoints.createOrgProject, {
      handler: async ({ auth, body, params, req }) => ({ project: await createOrgProject(ctx, params.orgId, actorOf(auth), body, requestMeta(req)) }),
    }),
    route(endpoints.getOrgProject, {
      handler: async ({ auth, params }) => ({ project: await getOrgProject(ctx.db, params.orgId, actorOf(auth), params.projectId) }),
    }),
    route(endpoints.updateOrgProject, {
      handler: async ({ auth, body, params, req }) => ({
        project: await updateOrgProject(ctx, params.orgId, actorOf(auth), params.projectId, body, requestMeta(req)),
      }),
    }),
    route(endpoints.deleteOrgProject, {
      async handler({ auth, params, req }) {
        await deleteOrgProject(ctx, params.orgId, actorOf(auth), params.projectId, requestMeta(req));
      },
    }),
    route(endpoints.listOrgAudit, {
      handler: ({ auth, params, query: { page, limit } }) => listOrgAudit(ctx.db, params.orgId, actorOf(auth), { page, limit }),
    }),
    route(endpoints.adminListOrganizations, {
      handler: ({ query: { query, page, limit } }) => listAllOrganizations(ctx.db, { query: query || undefined }, { page, limit }),
    }),
  ];
}
