// How strong a password looks while it is typed (0 too weak … 4 strong), and whether it is one of
// the common passwords the API refuses. The API is the judge; this is guidance before submit.
import { useEffect, useState } from 'react';

export type Strength = 0 | 1 | 2 | 3 | 4;

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Length counts most; variety helps; repeats and keyboard or alphabet runs cost. */
export function passwordStrength(password: string, common = false): Strength {
  if (!password || common) return 0;
  let score = password.length >= 16 ? 3 : password.length >= 12 ? 2 : password.length >= 8 ? 1 : 0;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes >= 3 && password.length >= 8) score += 1;
  const lower = password.toLowerCase();
  const hasRun = SEQUENCES.some((seq) => Array.from({ length: seq.length - 3 }, (_, i) => seq.slice(i, i + 4)).some((run) => lower.includes(run)));
  if (/(.)\1{2,}/.test(password) || hasRun) score -= 1;
  return Math.max(0, Math.min(4, score)) as Strength;
}

export type CommonCheck = 'unknown' | 'common' | 'not-common';

const PREFIX = 5;
const buckets = new Map<string, Promise<string[]>>();

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Asks GET /api/auth/password/common with the first 5 hex characters of the password's SHA-256
 * (k-anonymity: neither the password nor its whole hash leaves the browser). Answers per prefix
 * are kept for the page's life. 'unknown' while typing, offline, or without Web Crypto.
 */
export async function checkCommon(password: string): Promise<CommonCheck> {
  if (!password || typeof crypto === 'undefined' || !crypto.subtle) return 'unknown';
  const hash = await sha256Hex(password.toLowerCase());
  const prefix = hash.slice(0, PREFIX);
  let bucket = buckets.get(prefix);
  if (!bucket) {
    bucket = fetch(`/api/auth/password/common?prefix=${prefix}`)
      .then(async (res) => (res.ok ? (((await res.json()) as { suffixes?: string[] }).suffixes ?? []) : Promise.reject(new Error(String(res.status)))))
      .catch((error: unknown) => {
        buckets.delete(prefix); // ask again next time
        throw error;
      });
    buckets.set(prefix, bucket);
  }
  try {
    return (await bucket).includes(hash.slice(PREFIX)) ? 'common' : 'not-common';
  } catch {
    return 'unknown';
  }
}

/** The common-password check for a password being typed, a moment after typing stops. */
export function useCommonCheck(password: string): CommonCheck {
  const [result, setResult] = useState<{ password: string; check: CommonCheck }>({ password: '', check: 'unknown' });
  useEffect(() => {
    if (!password) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void checkCommon(password).then((check) => {
        if (!cancelled) setResult({ password, check });
      });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [password]);
  return result.password === password ? result.check : 'unknown';
}
