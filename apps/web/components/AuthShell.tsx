import type { ReactNode } from 'react';
import { BrandMark } from './BrandMark';
import styles from './AuthShell.module.css';

/** The narrow centred card of sign-in style pages (login, register, forgot/reset, verify email). */
export function AuthShell({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className={styles.wrap}>
      <div className={styles.card}>
        <div className={styles.head}>
          <BrandMark className={styles.logo} />
          <h1 className={styles.title}>{title}</h1>
          {subtitle && <p className={styles.subtitle}>{subtitle}</p>}
        </div>
        {children}
      </div>
      {footer && <div className={styles.footer}>{footer}</div>}
    </div>
  );
}
