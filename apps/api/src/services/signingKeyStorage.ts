import type { JWK } from 'jose';
import { decrypt } from './secrets.js';

/** A signing key stored under another SECRET_KEY: the operator's mistake, told in words they can act on. */
export class SigningKeyUnreadable extends Error {
  readonly code = 'SIGNING_KEY_UNREADABLE';
  constructor(kid: string, cause: unknown) {
    super(
      `The signing key ${kid} in the database cannot be decrypted with this SECRET_KEY: it was stored under another one. ` +
        'Start every instance with the SECRET_KEY this database was set up with.',
      { cause },
    );
    this.name = 'SigningKeyUnreadable';
  }
}

/** A stored private signing key, decrypted with SECRET_KEY's encryption key. */
export function readPrivateJwk(encryptionKey: Buffer, kid: string, sealed: string): JWK {
  try {
    return JSON.parse(decrypt(encryptionKey, sealed)) as JWK;
  } catch (cause) {
    throw new SigningKeyUnreadable(kid, cause);
  }
}
