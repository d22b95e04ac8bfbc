import { Secret, TOTP } from 'otpauth';

/** The 6-digit code an authenticator app shows for `secret` (base32) at time `at` (ms): RFC 6238, SHA-1, 30 s. */
export const codeAt = (secret: string, at: number): string =>
  TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
