'use client';
// A date or time in the viewer's own time zone and locale. The server does not know the viewer's
// time zone, so it renders UTC (marked as such); the browser's first render matches it and then
// switches to local time, without a hydration mismatch (useSyncExternalStore's server snapshot).
import { useSyncExternalStore } from 'react';
import { useI18n } from '@/lib/i18n/client';
import { formatInstant, relativeTime, type InstantFormat } from '@/lib/format';

const noSubscribe = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const serverZone = () => 'UTC';

export function useTimeZone(): string {
  return useSyncExternalStore(noSubscribe, browserZone, serverZone);
}

export function Time({ iso, format = 'dateTime' }: { iso: string; format?: InstantFormat | 'ago' }) {
  const { formatLocale } = useI18n();
  const timeZone = useTimeZone();
  const full = formatInstant(iso, 'dateTime', formatLocale, timeZone);
  if (full === '—') return <span>—</span>;
  const text = format === 'ago' ? relativeTime(iso, formatLocale) : formatInstant(iso, format, formatLocale, timeZone);
  return (
    <time dateTime={iso} title={format === 'ago' ? full : undefined}>
      {text}
    </time>
  );
}
