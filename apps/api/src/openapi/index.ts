import { components } from './components.js';
import type { EndpointDefinition } from '@portcullis/contract';
import { generateDocument, type OpenApiDocument } from './generate.js';

/**
 * The OpenAPI 3.1 description served at /api/openapi.json. Each feature describes its own paths
 * in a file of this folder and is listed here once.
 */
const featurePaths: Record<string, unknown>[] = [];

/** Hand-written paths of features not yet defined in packages/contract are merged in until they are. */
export function openApiDocument(options: { serverUrl: string; endpoints: EndpointDefinition[] }): OpenApiDocument {
  const document = generateDocument(options);
  const handSchemas = components.schemas as Record<string, unknown>;
  return {
    ...document,
    paths: { ...Object.assign({}, ...featurePaths), ...document.paths },
    components: {
      ...document.components,
      schemas: { ...handSchemas, ...document.components?.schemas },
      responses: components.responses,
    },
  };
}
