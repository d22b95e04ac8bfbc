import { decrypt, encrypt } from '../services/secrets.js';

/**
 * Mail bodies at rest. A queued message may hold a credential (a reset, verification or
 * email-change link) for as long as it waits for the mail server, and the dev outbox keeps it:
 * whoever reads `mail_messages` (a database backup, a read-only SQL account, a leaked dump) could
 * take the account. So bodies are stored sealed with AES-256-GCM under the key SECRET_KEY derives
 * for encryption, as TOTP secrets are, and opened only to send them or to show the dev outbox.
 *
 * A sealed value carries a prefix; anything else is a row written before bodies were sealed and
 * is read as the plain text it is, so mail queued by an older version still goes out. The
 * subject stays readable: it never holds a secret, and it tells an operator what is queued.
 */

const SEALED = 'sealed:';

export function sealMailBody(key: Buffer, body: string): string {
  return SEALED + encrypt(key, body);
}

/** The body as written by the template; throws when it was sealed under another SECRET_KEY. */
export function openMailBody(key: Buffer, stored: string): string {
  if (!stored.startsWith(SEALED)) return stored;
  try {
    return decrypt(key, stored.slice(SEALED.length));
  } catch {
    throw new Error('cannot open the mail body: it was sealed under another SECRET_KEY, or altered');
  }
}

/** Whether a stored body is sealed (for tests and diagnostics). */
export const isSealedMailBody = (stored: string) => stored.startsWith(SEALED);
