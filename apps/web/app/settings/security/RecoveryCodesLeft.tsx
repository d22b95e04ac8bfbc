'use client';
import { useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { useT } from '@/lib/i18n/client';
import styles from './mfa.module.css';

/** At or below this many, the count turns into a warning: time for a new set. */
export const FEW_RECOVERY_CODES = 3;

/** "N recovery codes left", loaded when shown (so it is fresh after a new set or a recovery sign-in). */
export function RecoveryCodesLeft() {
  const { client, ready } = useAuth();
  const t = useT();
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

  if (failed) return <p className={styles.codesLeft}>{t('security.codesLeftFailed')}</p>;
  if (left === null) return <p className={styles.codesLeft}>{t('security.codesCounting')}</p>;
  const count = left === 1 ? t('security.codesLeftOne') : t('security.codesLeftMany', { count: left });
  if (left > FEW_RECOVERY_CODES) {
    return (
      <p className={styles.codesLeft} data-testid="recovery-codes-left">
        {count}
      </p>
    );
  }
  return (
    <p className={`${styles.codesLeft} ${styles.fewLeft}`} data-testid="recovery-codes-left">
      <span aria-hidden="true">⚠ </span>
      {count} {left === 0 ? t('security.codesNoneLeft') : t('security.codesFewLeft')}
    </p>
  );
}
