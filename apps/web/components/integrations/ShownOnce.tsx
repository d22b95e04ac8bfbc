'use client';
import { FormAlert } from '@/components/FormAlert';
import styles from './integrations.module.css';

/** A secret the API shows this once (an API key, a client secret, a webhook signing secret). */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    <div role="status" aria-label={label}>
      <FormAlert tone="success">{label}: copy it now, it will not be shown again.</FormAlert>
      <code className={styles.secret} data-testid="shown-once">
        {value}
      </code>
    </div>
  );
}
