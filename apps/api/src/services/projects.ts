import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { RequestMeta } from '../context.js';
import { onlyRow } from '../db/rows.js';
import type { Db } from '../db/client.js';
import { projects } from '../db/schema.js';
import { recordAudit } from './audit.js';
import { readPage, type Page } from './pagination.js';

/**
 * The example protected resource. Authorization happens before these are called (requireAuth,
 * requirePermission, requireOwnerOr); these functions read and write, and audit changes made to
 * someone else's project (moderation).
 */

export type ProjectRow = typeof projects.$inferSelect;

export interface PublicProject {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export function toPublicProject(p: ProjectRow): PublicProject {
  return { id: p.id, ownerId: p.ownerId, name: p.name, description: p.description, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

/** One owner's personal projects (not an organization's), or everyone's when `ownerId` is undefined. Newest first. */
export async function listProjects(db: Db, filter: { ownerId?: string }, page: Page) {
  const where = filter.ownerId ? and(eq(projects.ownerId, filter.ownerId), isNull(projects.organizationId)) : undefined;
  return readPage('projects', page, {
    items: async ({ limit, offset }) =>
      (await db.select().from(projects).where(where).orderBy(desc(projects.createdAt), desc(projects.id)).limit(limit).offset(offset)).map(toPublicProject),
    count: () => db.select({ n: count() }).from(projects).where(where),
  });
}

/**
 * Whom ownership rules compare the caller with. An organization's project is owned by the
 * organization (issue 16): its roles decide access under `/api/orgs/:orgId/projects`, and here only
 * global roles that reach everyone's resources get to it, never its creator as such.
 */
export async function projectOwner(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db.select({ ownerId: projects.ownerId, organizationId: projects.organizationId }).from(projects).where(eq(projects.id, id));
  return row && (row.organizationId ?? row.ownerId);
}

export async function findProject(db: Db, id: string): Promise<PublicProject | undefined> {
  const [row] = await db.select().from(projects).where(eq(projects.id, id));
  return row && toPublicProject(row);
}

export async function createProject(db: Db, ownerId: string, input: { name: string; description?: string }): Promise<PublicProject> {
  const row = onlyRow(
    await db
      .insert(projects)
      .values({ ownerId, name: input.name, description: input.description ?? '' })
      .returning(),
    'createProject',
  );
  return toPublicProject(row);
}

/** Who changed a project: someone other than its owner (a moderator, an admin) leaves an audit event. */
export interface ChangedBy {
  actorId: string;
  meta: RequestMeta;
}

/** Only the fields named here can change: never the owner or the id. */
export async function updateProject(db: Db, id: string, input: { name?: string; description?: string }, by: ChangedBy): Promise<PublicProject | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(projects)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        updatedAt: new Date(),
      })
      .where(eq(projects.id, id))
      .returning();
    if (row && row.ownerId !== by.actorId) {
      await recordAudit(tx, {
        type: 'project.updated',
        userId: row.ownerId,
        actorId: by.actorId,
        meta: by.meta,
        details: { projectId: row.id, fields: Object.keys(input) },
      });
    }
    return row && toPublicProject(row);
  });
}

export async function deleteProject(db: Db, id: string, by: ChangedBy): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(projects).where(eq(projects.id, id)).returning();
    if (row && row.ownerId !== by.actorId) {
      await recordAudit(tx, {
        type: 'project.deleted',
        userId: row.ownerId,
        actorId: by.actorId,
        meta: by.meta,
        details: { projectId: row.id, name: row.name },
      });
    }
    return row !== undefined;
  });
}
