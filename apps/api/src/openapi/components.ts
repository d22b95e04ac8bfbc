/** Shared OpenAPI components: schemas and responses every feature refers to with $ref. */
export const components = {
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (at+jwt)' },
    refreshCookie: { type: 'apiKey', in: 'cookie', name: 'refresh_token' },
    sessionCookie: { type: 'apiKey', in: 'cookie', name: 'portcullis_session', description: 'The signed session id the web app’s server reads; grants no token.' },
  },
  schemas: {
    Error: {
      type: 'object',
      required: ['error', 'requestId'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', examples: ['VALIDATION_FAILED'] },
            message: { type: 'string' },
            details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
        requestId: { type: 'string' },
      },
    },
    User: {
      type: 'object',
      required: ['id', 'email', 'displayName', 'role', 'emailVerified', 'mfaEnabled', 'createdAt'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        email: { type: 'string', format: 'email' },
        displayName: { type: 'string' },
        role: { type: 'string', enum: ['user', 'moderator', 'admin'] },
        emailVerified: { type: 'boolean' },
        mfaEnabled: { type: 'boolean' },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
    AuthResult: {
      type: 'object',
      required: ['user', 'accessToken', 'tokenType', 'expiresIn'],
      properties: {
        user: { $ref: '#/components/schemas/User' },
        accessToken: { type: 'string' },
        tokenType: { const: 'Bearer' },
        expiresIn: { type: 'integer', description: 'Seconds until the access token expires.' },
        refreshToken: { type: 'string', description: 'Only with `X-Token-Transport: body`.' },
      },
    },
  },
  responses: {
    Error: { description: 'An error in the shared shape.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  },
} as const;

/** Shorthand for the error responses of an operation. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [String(s), { $ref: '#/components/responses/Error' }]));
}

export const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
