import type { ReactNode } from 'react';
import styles from './FormAlert.module.css';

export interface FormAlertProps {
  tone?: 'error' | 'success' | 'info';
  /** The message; nothing is shown (but the live region stays) while it is empty. */
  children?: ReactNode;
  /** Per-field problems listed under the message, so a screen reader hears all of them. */
  fieldErrors?: Record<string, string | undefined>;
}

/**
 * The form-level message. The live region is always in the DOM (visually hidden while empty, so it
 * takes no room), and assistive technology announces a message when it appears (errors
 * assertively, success politely).
 */
export function FormAlert({ tone = 'error', children, fieldErrors }: FormAlertProps) {
  const problems = Object.values(fieldErrors ?? {}).filter((m): m is string => Boolean(m));
  const empty = !children && problems.length === 0;
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      aria-live={tone === 'error' ? 'assertive' : 'polite'}
      aria-atomic="true"
      className={empty ? 'visually-hidden' : `${styles.alert} ${styles[tone]}`}
    >
      {!empty && (
        <>
          {children && <p className={styles.message}>{children}</p>}
          {problems.length > 0 && (
            <ul className={styles.list}>
              {problems.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
