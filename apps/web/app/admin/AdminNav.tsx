import Link from 'next/link';
import styles from './admin.module.css';

/** Tabs between the admin pages. */
export function AdminNav({ current }: { current: 'users' | 'audit' | 'webhooks' | 'service-accounts' }) {
  return (
    <nav className={styles.tabs} aria-label="Admin">
      <Link href="/admin/users" aria-current={current === 'users' ? 'page' : undefined} className={current === 'users' ? styles.activeTab : styles.tab}>
        Users
      </Link>
      <Link href="/admin/audit" aria-current={current === 'audit' ? 'page' : undefined} className={current === 'audit' ? styles.activeTab : styles.tab}>
        Audit log
      </Link>
      <Link
        href="/admin/webhooks"
        aria-current={current === 'webhooks' ? 'page' : undefined}
        className={current === 'webhooks' ? styles.activeTab : styles.tab}
      >
        Webhooks
      </Link>
      <Link
        href="/admin/service-accounts"
        aria-current={current === 'service-accounts' ? 'page' : undefined}
        className={current === 'service-accounts' ? styles.activeTab : styles.tab}
      >
        Service accounts
      </Link>
    </nav>
  );
}
