import { Secret, TOTP } from 'otpauth';

/** The 6-digit code an authenticator app shows for `secret` (base32) at time `at` (ms): RFC 6238, SHA-1, 30 s. */
export const codeAt = (secret: string, at: number): string =>
  TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });

/**
 * A code of the previous time step, for enrolment, so that the current step's code is still unused
 * for the sign-in a test does next. The server accepts one step back, not two: first wait until at
 * least 10 s of the current step remain, so a slow request on a busy machine cannot cross into the
 * next step and find the code two steps old.
 */
export async function previousStepCode(secret: string): Promise<string> {
  const left = () => 30_000 - (Date.now() % 30_000);
  if (left() < 10_000) await new Promise((resolve) => setTimeout(resolve, left() + 50));
  return codeAt(secret, Date.now() - 30_000);
}
