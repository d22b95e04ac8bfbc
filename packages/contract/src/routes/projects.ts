import { z } from 'zod';
import { endpoint } from '../endpoint.js';
import { pagination, projectDescription, projectName } from '../fields.js';
import { pageOf, Project } from '../schemas.js';

/** `/api/projects`: the contract's example protected resource. */

const accessNote = "The owner, a moderator or an admin. Anyone else gets `404` (not `403`), so other people's project ids cannot be probed.";
const one = z.object({ project: Project });
const tags = ['projects'];

export const listProjects = endpoint({
  method: 'get',
  path: '/api/projects',
  auth: 'bearer',
  machineCallers: 'read',
  tags,
  summary: "List projects: your own, or everyone's with all=true",
  description: "`all=true` needs a role whose `read` reaches everyone's resources (moderator, admin); a user gets `403 FORBIDDEN`. Newest first.",
  query: z.object({ all: z.enum(['true', 'false'], { message: 'all must be true or false.' }).optional(), ...pagination }),
  status: 200,
  response: pageOf('projects', Project),
  errors: [403],
});

export const createProject = endpoint({
  method: 'post',
  path: '/api/projects',
  auth: 'bearer',
  machineCallers: 'write',
  tags,
  summary: 'Create a project you own',
  body: z.object({ name: projectName, description: projectDescription.optional() }),
  status: 201,
  response: one,
});

export const getProject = endpoint({
  method: 'get',
  path: '/api/projects/:id',
  auth: 'bearer',
  machineCallers: 'read',
  tags,
  summary: 'Read a project',
  description: accessNote,
  status: 200,
  response: one,
  errors: [404],
});

export const updateProject = endpoint({
  method: 'patch',
  path: '/api/projects/:id',
  auth: 'bearer',
  machineCallers: 'write',
  tags,
  summary: "Change a project's name or description",
  description: `${accessNote} Only \`name\` and \`description\` can change; other fields are ignored.`,
  body: z
    .object({ name: projectName.optional(), description: projectDescription.optional() })
    .refine((v) => v.name !== undefined || v.description !== undefined, { message: 'Send a name or a description to change.' }),
  status: 200,
  response: one,
  errors: [404],
});

export const deleteProject = endpoint({
  method: 'delete',
  path: '/api/projects/:id',
  auth: 'bearer',
  machineCallers: 'delete',
  tags,
  summary: 'Delete a project',
  description: accessNote,
  status: 204,
  errors: [404],
});
