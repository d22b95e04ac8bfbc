import type { AppContext } from '../../src/context.js';
import { KeyRing } from '../../src/services/keyRing.js';
import { deriveKey } from '../../src/services/secrets.js';

/** A key ring of its own on the server's database, as another instance configured like it (or with another SECRET_KEY) would have. */
export function keyRingBeside(ctx: AppContext, secretKey = ctx.config.SECRET_KEY): KeyRing {
  const { config, db } = ctx;
  return new KeyRing({
    db,
    alg: config.JWT_ALG,
    encryptionKey: deriveKey(secretKey, 'encryption'),
    retiredKeyTtlMs: config.JWT_ACCESS_TTL + config.KEY_RETIRE_GRACE,
    rotationIntervalMs: config.KEY_ROTATION_INTERVAL,
    prepublishMs: config.KEY_PREPUBLISH,
  });
}
