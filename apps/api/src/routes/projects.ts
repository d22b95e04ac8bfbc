import { projects as endpoints } from '@portcullis/contract';
import type { AppContext } from '../context.js';
import { requireOwnerOr } from '../http/middleware/authorize.js';
import { requestMeta } from '../http/requestMeta.js';
import { route, type Route } from '../http/route.js';
import { forbidden, notFound } from '../services/errors.js';
import { mayAccessAll } from '../services/permissions.js';
import { createProject, deleteProject, findProject, listProjects, projectOwner, updateProject } from '../services/projects.js';

/** `/api/projects`: everyone's own projects; moderators and admins reach everyone's. */
export function projectRoutes(ctx: AppContext): Route[] {
  const ownerOf = (id: string) => projectOwner(ctx.db, id);
  return [
    route(endpoints.listProjects, {
      async handler({ auth, query: { all, page, limit } }) {
        const everyone = all === 'true';
        if (everyone && !mayAccessAll(auth.role, 'read')) throw forbidden("Only moderators and admins can list everyone's projects.");
        const result = await listProjects(ctx.db, { ownerId: everyone ? undefined : auth.sub }, { page, limit });
        return { ...result, page, limit };
      },
    }),
    route(endpoints.createProject, {
      async handler({ auth, body }) {
        // A project belongs to a person: a service account's token (issue 15) may read and change them as its role allows, not own one.
        if (auth.client_id !== undefined) throw forbidden('A service account cannot own projects.');
        return { project: await createProject(ctx.db, auth.sub, body) };
      },
    }),
    route(endpoints.getProject, {
      guards: [requireOwnerOr('read', ownerOf)],
      async handler({ params }) {
        const project = await findProject(ctx.db, params.id);
        if (!project) throw notFound();
        return { project };
      },
    }),
    route(endpoints.updateProject, {
      guards: [requireOwnerOr('write', ownerOf)],
      async handler({ auth, body, params, req }) {
        const project = await updateProject(ctx.db, params.id, body, { actorId: auth.sub, meta: requestMeta(req) });
        if (!project) throw notFound();
        return { project };
      },
    }),
    route(endpoints.deleteProject, {
      guards: [requireOwnerOr('delete', ownerOf)],
      async handler({ auth, params, req }) {
        if (!(await deleteProject(ctx.db, params.id, { actorId: auth.sub, meta: requestMeta(req) }))) throw notFound();
      },
    }),
  ];
}
