import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireAuth } from '../http/middleware/authenticate.js';
import { idParam, requireOwnerOr } from '../http/middleware/authorize.js';
import { validateBody } from '../http/middleware/validate.js';
import { pagination, parseQuery } from '../http/query.js';
import { requestMeta } from '../http/requestMeta.js';
import { forbidden, notFound } from '../services/errors.js';
import { mayAccessAll } from '../services/permissions.js';
import { createProject, deleteProject, findProject, listProjects, projectOwner, updateProject } from '../services/projects.js';
import { refuseHiddenCharacters } from '../services/shownText.js';

/** `/api/projects`: everyone's own projects; moderators and admins reach everyone's. */

// Names and descriptions are shown to others (moderators, admins): services/shownText.ts's rule.
const name = z
  .string({ message: 'Enter a project name.' })
  .trim()
  .min(1, 'Enter a project name.')
  .max(100, 'Name must be at most 100 characters.')
  .superRefine(refuseHiddenCharacters('Name'));
const description = z
  .string({ message: 'Description must be text.' })
  .max(2000, 'Description must be at most 2000 characters.')
  .superRefine(refuseHiddenCharacters('Description', { multiline: true }));

const createBody = z.object({ name, description: description.optional() });
const patchBody = z
  .object({ name: name.optional(), description: description.optional() })
  .refine((v) => v.name !== undefined || v.description !== undefined, { message: 'Send a name or a description to change.' });
const listQuery = z.object({ all: z.enum(['true', 'false'], { message: 'all must be true or false.' }).optional(), ...pagination });

export function projectRoutes(ctx: AppContext): Router {
  const router = Router();
  const ownerOf = (id: string) => projectOwner(ctx.db, id);

  router.get('/', requireAuth, async (req, res) => {
    const { all, page, limit } = parseQuery(req, listQuery);
    const everyone = all === 'true';
    if (everyone && !mayAccessAll(req.auth!.role, 'read')) throw forbidden('Only moderators and admins can list everyone\'s projects.');
    const result = await listProjects(ctx.db, { ownerId: everyone ? undefined : req.auth!.sub }, { page, limit });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ...result, page, limit });
  });

  router.post('/', requireAuth, validateBody(createBody), async (req, res) => {
    const project = await createProject(ctx.db, req.auth!.sub, req.body);
    res.status(201).json({ project });
  });

  router.get('/:id', requireAuth, requireOwnerOr('read', ownerOf), async (req, res) => {
    const project = await findProject(ctx.db, idParam(req));
    if (!project) throw notFound();
    res.setHeader('Cache-Control', 'no-store');
    res.json({ project });
  });

  router.patch('/:id', requireAuth, requireOwnerOr('write', ownerOf), validateBody(patchBody), async (req, res) => {
    const project = await updateProject(ctx.db, idParam(req), req.body, { actorId: req.auth!.sub, meta: requestMeta(req) });
    if (!project) throw notFound();
    res.json({ project });
  });

  router.delete('/:id', requireAuth, requireOwnerOr('delete', ownerOf), async (req, res) => {
    if (!(await deleteProject(ctx.db, idParam(req), { actorId: req.auth!.sub, meta: requestMeta(req) }))) throw notFound();
    res.status(204).end();
  });

  return router;
}
