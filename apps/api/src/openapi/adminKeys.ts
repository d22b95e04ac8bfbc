import { ADMIN_MFA_NOTE } from './admin.js';
import { errors, json } from './components.js';

/** On-demand signing-key rotation. */
export const adminKeyPaths = {
  '/api/admin/keys/rotate': {
    post: {
      summary: 'Rotate the access-token signing key',
      description:
        'Needs the `manage_users` permission. The new key is in every instance\'s `/.well-known/jwks.json` when this answers, and signs every token from `activatesAt` (`KEY_PREPUBLISH`, default 60 s, later), so verifiers have it before any token it signed exists; until then the current key keeps signing. The retired key stays in the JWKS until every token it signed has expired, so no token is refused because of the rotation. Keys also rotate on a schedule (`KEY_ROTATION_INTERVAL`, default 30 days). Audited as `keys.rotated`.',
      security: [{ bearer: [] }],
      'x-admin-require-mfa': ADMIN_MFA_NOTE,
      responses: {
        '200': {
          description: 'Rotated.',
          ...json({
            type: 'object',
            required: ['kid', 'alg', 'retiredKid', 'activatesAt'],
            properties: {
              kid: { type: 'string', description: 'The new key: published now, signing from `activatesAt`.' },
              alg: { type: 'string', enum: ['EdDSA', 'ES256'] },
              retiredKid: { type: ['string', 'null'], description: 'The key that signs until `activatesAt`; published until its tokens expire.' },
              activatesAt: { type: 'string', format: 'date-time', description: 'When the new key starts signing.' },
            },
          }),
        },
        ...errors(401, 403),
      },
    },
  },
};
