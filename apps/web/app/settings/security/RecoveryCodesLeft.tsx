'use client';
import { useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import styles from './mfa.module.css';

/** At or below this many, the count turns into a warning: time for a new set. */
export const FEW_RECOVERY_CODES = 3;

/** "N recovery codes left", loaded when shown (so it is fresh after a new set or a recovery sign-in). */
export function RecoveryCodesLeft() {
  const { client, ready } = useAuth();
  const [left, setLeft] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    ready()
      .then(() => client.recoveryCodesRemaining())
      .then(
        (n) => live && setLeft(n),
        () => live && setFailed(true),
      );
    return () => {
      live = false;
    };
  }, [client, ready]);

  if (failed) return <p className={styles.codesLeft}>We could not load how many recovery codes you have left.</p>;
  if (left === null) return <p className={styles.codesLeft}>Counting recovery codes…</p>;
  const count = left === 1 ? '1 recovery code left' : `${left} recovery codes left`;
  if (left > FEW_RECOVERY_CODES) {
    return (
      <p className={styles.codesLeft} data-testid="recovery-codes-left">
        {count}.
      </p>
    );
  }
  return (
    <p className={`${styles.codesLeft} ${styles.fewLeft}`} data-testid="recovery-codes-left">
      <span aria-hidden="true">⚠ </span>
      {count}. {left === 0 ? 'Generate new ones so that you can still sign in if you lose your phone.' : 'Generate new ones before you run out.'}
    </p>
  );
}
