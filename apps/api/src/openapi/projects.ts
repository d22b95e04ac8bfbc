import { errors, json } from './components.js';

/** `/api/projects`: the example protected resource. */

const bearer = [{ bearer: [] }];
// Shown to others: services/shownText.ts refuses invisible and text-direction characters (stricter than the contract).
const shownName = { type: 'string', minLength: 1, maxLength: 100, description: 'No control, format (direction overrides, zero-width) or separator characters: `400 VALIDATION_FAILED` naming the character.' };
const shownDescription = { type: 'string', maxLength: 2000, description: 'Tabs and line breaks allowed; no other control, format (direction overrides, zero-width) or separator characters.' };
const Project = {
  type: 'object',
  required: ['id', 'ownerId', 'name', 'description', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    ownerId: { type: 'string', format: 'uuid' },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    description: { type: 'string', maxLength: 2000 },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};
const project = json({ type: 'object', required: ['project'], properties: { project: Project } });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'A malformed id is `404`.' };
export const pageParameters = [
  { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
];
const accessNote = 'The owner, a moderator or an admin. Anyone else gets `404` (not `403`), so other people\'s project ids cannot be probed.';

export const projectPaths = {
  '/api/projects': {
    get: {
      summary: 'List projects: your own, or everyone\'s with all=true',
      description: '`all=true` needs a role whose `read` reaches everyone\'s resources (moderator, admin); a user gets `403 FORBIDDEN`. Newest first.',
      security: bearer,
      parameters: [{ name: 'all', in: 'query', required: false, schema: { enum: ['true', 'false'] } }, ...pageParameters],
      responses: {
        '200': {
          description: 'A page of projects.',
          ...json({ type: 'object', required: ['projects', 'total', 'page', 'limit'], properties: { projects: { type: 'array', items: Project }, total: { type: 'integer' }, page: { type: 'integer' }, limit: { type: 'integer' } } }),
        },
        ...errors(400, 401, 403),
      },
    },
    post: {
      summary: 'Create a project you own',
      security: bearer,
      requestBody: json({ type: 'object', required: ['name'], properties: { name: shownName, description: shownDescription } }),
      responses: { '201': { description: 'Created.', ...project }, ...errors(400, 401, 413, 415) },
    },
  },
  '/api/projects/{id}': {
    get: { summary: 'Read a project', description: accessNote, security: bearer, parameters: [id], responses: { '200': { description: 'The project.', ...project }, ...errors(401, 404) } },
    patch: {
      summary: 'Change a project\'s name or description',
      description: `${accessNote} Only \`name\` and \`description\` can change; other fields are ignored.`,
      security: bearer,
      parameters: [id],
      requestBody: json({ type: 'object', minProperties: 1, properties: { name: shownName, description: shownDescription } }),
      responses: { '200': { description: 'The changed project.', ...project }, ...errors(400, 401, 404) },
    },
    delete: { summary: 'Delete a project', description: accessNote, security: bearer, parameters: [id], responses: { '204': { description: 'Deleted.' }, ...errors(401, 404) } },
  },
};
