import { and, count, desc, eq } from 'drizzle-orm';
import type { OrgProject } from '@portcullis/contract';
import type { AppContext, RequestMeta } from '../../context.js';
import type { Db } from '../../db/client.js';
import { projects } from '../../db/schema.js';
import { recordAudit } from '../audit.js';
import { notFound } from '../errors.js';
import { readPage, type Page } from '../pagination.js';
import { inTransaction } from '../transaction.js';
import { orgAccess, requireOrgPermission, type OrgActor } from './access.js';

/**
 * An organization's projects (issue 16): its roles decide who reads, writes and deletes them
 * (read_projects, write_projects, delete_projects), checked against the database on every request.
 * Every change is audited for the organization.
 */

type ProjectRow = typeof projects.$inferSelect;

const noProject = () => notFound('No such project.');

function toOrgProject(p: ProjectRow, organizationId: string): OrgProject {
  return {
    id: p.id,
    ownerId: p.ownerId,
    organizationId,
    name: p.name,
    description: p.description,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const inOrg = (organizationId: string, projectId: string) => and(eq(projects.id, projectId), eq(projects.organizationId, organizationId));

export async function listOrgProjects(db: Db, organizationId: string, actor: OrgActor, page: Page) {
  requireOrgPermission(await orgAccess(db, organizationId, actor), 'read_projects');
  const where = eq(projects.organizationId, organizationId);
  return readPage('projects', page, {
    items: async ({ limit, offset }) =>
      (await db.select().from(projects).where(where).orderBy(desc(projects.createdAt), desc(projects.id)).limit(limit).offset(offset)).map((p) =>
        toOrgProject(p, organizationId),
      ),
    count: () => db.select({ n: count() }).from(projects).where(where),
  });
}

export async function createOrgProject(
  ctx: AppContext,
  organizationId: string,
  actor: OrgActor,
  input: { name: string; description?: string | undefined },
  meta: RequestMeta,
): Promise<OrgProject> {
  return inTransaction(ctx, async (tx) => {
    requireOrgPermission(await orgAccess(tx, organizationId, actor), 'write_projects');
    const [row] = await tx
      .insert(projects)
      .values({ ownerId: actor.userId, organizationId, name: input.name, description: input.description ?? '' })
      .returning();
    if (!row) throw new Error('createOrgProject: no row');
    await recordAudit(tx, { type: 'org.project_created', userId: actor.userId, meta, details: { organizationId, projectId: row.id, name: row.name } });
    return toOrgProject(row, organizationId);
  });
}

export async function getOrgProject(db: Db, organizationId: string, actor: OrgActor, projectId: string): Promise<OrgProject> {
  requireOrgPermission(await orgAccess(db, organizationId, actor), 'read_projects');
  const [row] = await db.select().from(projects).where(inOrg(organizationId, projectId));
  if (!row) throw noProject();
  return toOrgProject(row, organizationId);
}

export async function updateOrgProject(
  ctx: AppContext,
  organizationId: string,
  actor: OrgActor,
  projectId: string,
  input: { name?: string | undefined; description?: string | undefined },
  meta: RequestMeta,
): Promise<OrgProject> {
  return inTransaction(ctx, async (tx) => {
    requireOrgPermission(await orgAccess(tx, organizationId, actor), 'write_projects');
    const [row] = await tx
      .update(projects)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        updatedAt: new Date(),
      })
      .where(inOrg(organizationId, projectId))
      .returning();
    if (!row) throw noProject();
    await recordAudit(tx, {
      type: 'org.project_updated',
      userId: actor.userId,
      meta,
      details: { organizationId, projectId, fields: Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined) },
    });
    return toOrgProject(row, organizationId);
  });
}

export async function deleteOrgProject(ctx: AppContext, organizationId: string, actor: OrgActor, projectId: string, meta: RequestMeta): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    requireOrgPermission(await orgAccess(tx, organizationId, actor), 'delete_projects');
    const [row] = await tx.delete(projects).where(inOrg(organizationId, projectId)).returning();
    if (!row) throw noProject();
    await recordAudit(tx, { type: 'org.project_deleted', userId: actor.userId, meta, details: { organizationId, projectId, name: row.name } });
  });
}
