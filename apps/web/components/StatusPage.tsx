import Link from 'next/link';
import type { ReactNode } from 'react';
import styles from './StatusPage.module.css';

/** The layout of error-like pages (404, 403, 500): a code, a title, a sentence, ways out. */
export function StatusPage({ code, title, children, actions }: { code: string; title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className={`container ${styles.wrap}`}>
      <div className={styles.panel}>
        <p className={styles.code}>{code}</p>
        <h1 className={styles.title}>{title}</h1>
        {children && <div className={styles.text}>{children}</div>}
        <div className={styles.actions}>
          {actions ?? (
            <Link href="/" className={styles.link}>
              Go to the home page
            </Link>
          )}
        </div>
      </div>
    </div>
  );
}
