import { Secret, TOTP } from 'otpauth';

/**
 * TOTP (RFC 6238) over the maintained `otpauth` library: HMAC-SHA-1, 6 digits, 30-second steps,
 * and codes accepted from one step before to one step after now (clock drift). Which step a code
 * matched is returned so the caller can refuse it a second time.
 */

export const TOTP_SETTINGS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
export const TOTP_DRIFT_STEPS = 1;
const ISSUER = 'Portcullis';

export type TotpSettings = { algorithm: 'SHA1' | 'SHA256' | 'SHA512'; digits: number; period: number };

/** 160 random bits (the RFC 4226 recommendation for SHA-1), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, accountName: string): string {
  return new TOTP({ issuer: ISSUER, label: accountName, secret: Secret.fromBase32(secretBase32), ...TOTP_SETTINGS }).toString();
}

export function totpStep(timestampMs: number, period: number = TOTP_SETTINGS.period): number {
  return TOTP.counter({ period, timestamp: timestampMs });
}

/** The code for a moment: what an authenticator app shows. */
export function totpCode(secret: Secret | string, timestampMs: number, settings: TotpSettings = TOTP_SETTINGS): string {
  return TOTP.generate({ secret: typeof secret === 'string' ? Secret.fromBase32(secret) : secret, timestamp: timestampMs, ...settings });
}

/** The time step the code belongs to, if it is valid within ±TOTP_DRIFT_STEPS of `nowMs`; otherwise null. */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number = Date.now()): number | null {
  if (!new RegExp(`^\\d{${TOTP_SETTINGS.digits}}$`).test(code)) return null;
  const delta = TOTP.validate({ token: code, secret: Secret.fromBase32(secretBase32), timestamp: nowMs, window: TOTP_DRIFT_STEPS, ...TOTP_SETTINGS });
  return delta === null ? null : totpStep(nowMs) + delta;
}
