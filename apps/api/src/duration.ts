/** Parses durations such as `30s`, `15m`, `7d` (also `500ms`, `2h`) into milliseconds. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number | null {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(value) ? value : null;
}

/** Tolerated clock skew between API instances, e.g. for a sealed cookie's issued-at (http/sealedCookie.ts). */
export const CLOCK_SKEW_SECONDS = 60;
