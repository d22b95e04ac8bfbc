// Dates for people, in a given locale and time zone (components/Time.tsx passes the viewer's).
export type InstantFormat = 'date' | 'dateTime';

const OPTIONS: Record<InstantFormat, Intl.DateTimeFormatOptions> = {
  date: { day: 'numeric', month: 'long', year: 'numeric' },
  dateTime: { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
};

export function formatInstant(iso: string, format: InstantFormat, locale = 'en-GB', timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { ...OPTIONS[format], timeZone }).format(date);
}

export function formatDate(iso: string, locale?: string, timeZone?: string): string {
  return formatInstant(iso, 'date', locale, timeZone);
}

export function formatDateTime(iso: string, locale?: string, timeZone?: string): string {
  return formatInstant(iso, 'dateTime', locale, timeZone);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 60 * 60 * 24 * 365],
  ['month', 60 * 60 * 24 * 30],
  ['day', 60 * 60 * 24],
  ['hour', 60 * 60],
  ['minute', 60],
];

/** "just now", "5 minutes ago", "vor 3 Tagen": the locale's own words (Intl.RelativeTimeFormat). */
export function relativeTime(iso: string, locale = 'en', now = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '—';
  const seconds = Math.round((now - then) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (Math.abs(seconds) < 60) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return rtf.format(-Math.floor(seconds / size), unit);
  return rtf.format(0, 'second');
}

/** Kept for callers that want English wording regardless of locale. */
export function timeAgo(iso: string, now = Date.now()): string {
  return relativeTime(iso, 'en', now);
}
