'use client';
// Audit events as people read them: a label for each type (the catalogue's `admin.event.*`) and
// details as "Reason: wrong password" lines instead of raw JSON.
import { useT } from '@/lib/i18n/client';
import { en } from '@/lib/i18n/en';
import type { MessageKey, Translate } from '@/lib/i18n/core';
import styles from '../admin.module.css';

export function eventLabel(t: Translate, type: string): string {
  const key = `admin.event.${type}`;
  // A type this web app does not know yet (a newer API) is shown as it is.
  return Object.hasOwn(en, key) ? t(key as MessageKey) : type;
}

export function EventLabel({ type }: { type: string }) {
  const t = useT();
  return (
    <span>
      {eventLabel(t, type)} <code className={styles.id}>{type}</code>
    </span>
  );
}

/** `sessionsRevoked` → "Sessions revoked"; `wrong_password` → "wrong password". */
const words = (text: string) =>
  text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .toLowerCase();
const sentence = (text: string) => {
  const w = words(text);
  return w.charAt(0).toUpperCase() + w.slice(1);
};

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return /^[a-z]+(_[a-z]+)+$/.test(value) ? words(value) : value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

export function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className={styles.details}>
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{sentence(key)}</dt>
          <dd>{valueText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
