import type { ReactNode } from 'react';
import styles from './EmptyState.module.css';

/** What a list shows when it has nothing yet: say what will appear and how to start. */
export function EmptyState({ icon = '✦', title, children, action }: { icon?: ReactNode; title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className={styles.empty}>
      <div className={styles.icon} aria-hidden="true">
        {icon}
      </div>
      <p className={styles.title}>{title}</p>
      {children && <p className={styles.text}>{children}</p>}
      {action && <div className={styles.action}>{action}</div>}
    </div>
  );
}
