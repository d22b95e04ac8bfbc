import { ADMIN_MFA_NOTE } from './admin.js';
import { errors, json } from './components.js';

/** On-demand signing-key rotation. */
export const adminKeyPaths = {
  '/api/admin/keys/rotate': {
    post: {
      summary: 'Rotate the access-token signing key now',
      description:
        'Needs the `manage_users` permission. A new key signs every token from now on; the retired key stays in `/.well-known/jwks.json` until every token it signed has expired, so no token is refused because of the rotation. Keys also rotate on a schedule (`KEY_ROTATION_INTERVAL`, default 30 days). Audited as `keys.rotated`.',
      security: [{ bearer: [] }],
      'x-admin-require-mfa': ADMIN_MFA_NOTE,
      responses: {
        '200': {
          description: 'Rotated.',
          ...json({
            type: 'object',
            required: ['kid', 'alg', 'retiredKid'],
            properties: {
              kid: { type: 'string', description: 'The key that signs from now on.' },
              alg: { type: 'string', enum: ['EdDSA', 'ES256'] },
              retiredKid: { type: ['string', 'null'], description: 'The key that signed until now; still published until its tokens expire.' },
            },
          }),
        },
        ...errors(401, 403),
      },
    },
  },
};
