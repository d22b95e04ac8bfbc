// createOrganizationsClient (issue 16, beyond the contract): typed calls for organizations, their
// members, invitations and projects, over an AuthClient's session (its fetch refreshes as needed).
import type { BodyInputOf, organizations as endpoints, ResponseOf } from '@portcullis/contract';
import { jsonPost, readJson } from '#sdk/http';
import type { AuthClient } from '#sdk/types';

type Body<K extends keyof typeof endpoints> = BodyInputOf<(typeof endpoints)[K]>;
type Answer<K extends keyof typeof endpoints> = ResponseOf<(typeof endpoints)[K]>;

export interface PageOptions {
  page?: number;
  limit?: number;
}

const id = (value: string) => encodeURIComponent(value);
const paging = ({ page, limit }: PageOptions = {}) => {
  const query = new URLSearchParams();
  if (page !== undefined) query.set('page', String(page));
  if (limit !== undefined) query.set('limit', String(limit));
  const text = query.toString();
  return text ? `?${text}` : '';
};

export function createOrganizationsClient(client: Pick<AuthClient, 'fetch' | 'adoptAccessToken'>) {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => readJson<T>(await client.fetch(path, init));
  const send = <T>(method: string, path: string, body: unknown = {}) => call<T>(path, { ...jsonPost(body), method });

  return {
    list: async () => (await call<Answer<'listMyOrganizations'>>('/api/orgs')).organizations,
    create: (input: Body<'createOrganization'>) => send<Answer<'createOrganization'>>('POST', '/api/orgs', input),
    get: (orgId: string) => call<Answer<'getOrganization'>>(`/api/orgs/${id(orgId)}`),
    update: (orgId: string, input: Body<'updateOrganization'>) => send<Answer<'updateOrganization'>>('PATCH', `/api/orgs/${id(orgId)}`, input),
    /** Owners, with the password (or, without one, a sign-in of the last 10 minutes). */
    remove: (orgId: string, input: Body<'deleteOrganization'> = {}) => send<void>('DELETE', `/api/orgs/${id(orgId)}`, input),

    /** Makes `orgId` (or none, with null) the session's active organization and adopts the new access token. */
    async switchTo(orgId: string | null): Promise<Answer<'switchOrganization'>> {
      const result = await send<Answer<'switchOrganization'>>('POST', '/api/orgs/active', { organizationId: orgId });
      client.adoptAccessToken(result);
      return result;
    },

    members: (orgId: string, page?: PageOptions) => call<Answer<'listMembers'>>(`/api/orgs/${id(orgId)}/members${paging(page)}`),
    changeRole: async (orgId: string, userId: string, role: Body<'changeMemberRole'>['role']) =>
      (await send<Answer<'changeMemberRole'>>('PATCH', `/api/orgs/${id(orgId)}/members/${id(userId)}`, { role })).member,
    removeMember: (orgId: string, userId: string) => call<void>(`/api/orgs/${id(orgId)}/members/${id(userId)}`, { method: 'DELETE' }),
    /** Leaving is removing yourself. */
    leave: (orgId: string, ownId: string) => call<void>(`/api/orgs/${id(orgId)}/members/${id(ownId)}`, { method: 'DELETE' }),
    transferOwnership: async (orgId: string, input: Body<'transferOwnership'>) =>
      (await send<Answer<'transferOwnership'>>('POST', `/api/orgs/${id(orgId)}/transfer`, input)).members,

    invitations: async (orgId: string) => (await call<Answer<'listInvitations'>>(`/api/orgs/${id(orgId)}/invitations`)).invitations,
    invite: async (orgId: string, input: Body<'createInvitation'>) =>
      (await send<Answer<'createInvitation'>>('POST', `/api/orgs/${id(orgId)}/invitations`, input)).invitation,
    revokeInvitation: (orgId: string, invitationId: string) => call<void>(`/api/orgs/${id(orgId)}/invitations/${id(invitationId)}`, { method: 'DELETE' }),
    resendInvitation: async (orgId: string, invitationId: string) =>
      (await send<Answer<'resendInvitation'>>('POST', `/api/orgs/${id(orgId)}/invitations/${id(invitationId)}/resend`)).invitation,
    previewInvitation: async (token: string) => (await send<Answer<'previewInvitation'>>('POST', '/api/orgs/invitations/preview', { token })).invitation,
    acceptInvitation: (token: string) => send<Answer<'acceptInvitation'>>('POST', '/api/orgs/invitations/accept', { token }),

    projects: (orgId: string, page?: PageOptions) => call<Answer<'listOrgProjects'>>(`/api/orgs/${id(orgId)}/projects${paging(page)}`),
    createProject: async (orgId: string, input: Body<'createOrgProject'>) =>
      (await send<Answer<'createOrgProject'>>('POST', `/api/orgs/${id(orgId)}/projects`, input)).project,
    getProject: async (orgId: string, projectId: string) => (await call<Answer<'getOrgProject'>>(`/api/orgs/${id(orgId)}/projects/${id(projectId)}`)).project,
    updateProject: async (orgId: string, projectId: string, input: Body<'updateOrgProject'>) =>
      (await send<Answer<'updateOrgProject'>>('PATCH', `/api/orgs/${id(orgId)}/projects/${id(projectId)}`, input)).project,
    deleteProject: (orgId: string, projectId: string) => call<void>(`/api/orgs/${id(orgId)}/projects/${id(projectId)}`, { method: 'DELETE' }),

    audit: (orgId: string, page?: PageOptions) => call<Answer<'listOrgAudit'>>(`/api/orgs/${id(orgId)}/audit${paging(page)}`),
    /** Global admins (`manage_users`): every organization. */
    adminList: (options: PageOptions & { query?: string } = {}) => {
      const query = new URLSearchParams(paging(options).slice(1));
      if (options.query) query.set('query', options.query);
      const text = query.toString();
      return call<Answer<'adminListOrganizations'>>(`/api/admin/orgs${text ? `?${text}` : ''}`);
    },
  };
}

export type OrganizationsClient = ReturnType<typeof createOrganizationsClient>;
