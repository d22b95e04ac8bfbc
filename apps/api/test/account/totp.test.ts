import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { matchTotpStep, newTotpSecret, totpCode, totpUri, TOTP_SETTINGS } from '../../src/services/totp.js';

/**
 * RFC 6238 Appendix B: the reference vectors, with the seeds of the RFC's reference code
 * (20, 32 and 64 ASCII bytes for SHA-1, SHA-256 and SHA-512), 8 digits, 30-second steps.
 */
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;

const VECTORS: [seconds: number, sha1: string, sha256: string, sha512: string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP against RFC 6238 Appendix B', () => {
  it.each(VECTORS)('T = %i s', (seconds, sha1, sha256, sha512) => {
    const at = seconds * 1000;
    expect(totpCode(Secret.fromLatin1(SEEDS.SHA1), at, { algorithm: 'SHA1', digits: 8, period: 30 })).toBe(sha1);
    expect(totpCode(Secret.fromLatin1(SEEDS.SHA256), at, { algorithm: 'SHA256', digits: 8, period: 30 })).toBe(sha256);
    expect(totpCode(Secret.fromLatin1(SEEDS.SHA512), at, { algorithm: 'SHA512', digits: 8, period: 30 })).toBe(sha512);
  });

  it('the production settings (SHA-1, 6 digits) give the last 6 digits of the vectors, and match them', () => {
    const secret = Secret.fromLatin1(SEEDS.SHA1);
    for (const [seconds, sha1] of VECTORS) {
      expect(totpCode(secret, seconds * 1000)).toBe(sha1.slice(-6));
      const step = matchTotpStep(secret.base32, sha1.slice(-6), seconds * 1000);
      expect(step).toBe(Math.floor(seconds / 30));
    }
  });
});

describe('matchTotpStep', () => {
  const secret = newTotpSecret();
  const now = 1_700_000_000_000;
  const step = Math.floor(now / 30_000);

  it('accepts one step of drift either way, and no more', () => {
    for (const d of [-1, 0, 1]) expect(matchTotpStep(secret, totpCode(secret, now + d * 30_000), now)).toBe(step + d);
    for (const d of [-3, -2, 2, 3]) expect(matchTotpStep(secret, totpCode(secret, now + d * 30_000), now)).toBeNull();
  });

  it('refuses anything that is not six digits, and codes of another secret', () => {
    for (const code of ['', '12345', '1234567', 'abcdef', ' 123456', '12 345']) expect(matchTotpStep(secret, code, now)).toBeNull();
    expect(matchTotpStep(secret, totpCode(newTotpSecret(), now), now)).toBeNull();
  });

  it('makes 160-bit secrets and a standard otpauth URL', () => {
    expect(Secret.fromBase32(secret).bytes.length).toBe(20);
    const url = new URL(totpUri(secret, 'alice@example.com'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe(String(TOTP_SETTINGS.digits));
    expect(url.searchParams.get('period')).toBe('30');
    expect(url.searchParams.get('issuer')).toBe('Portcullis');
  });
});
