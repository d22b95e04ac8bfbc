import Link from 'next/link';
import styles from './admin.module.css';

/** Tabs between the admin pages. */
export function AdminNav({ current }: { current: 'users' | 'audit' | 'orgs' }) {
  return (
    <nav className={styles.tabs} aria-label="Admin">
      <Link href="/admin/users" aria-current={current === 'users' ? 'page' : undefined} className={current === 'users' ? styles.activeTab : styles.tab}>
        Users
      </Link>
      <Link href="/admin/audit" aria-current={current === 'audit' ? 'page' : undefined} className={current === 'audit' ? styles.activeTab : styles.tab}>
        Audit log
      </Link>
      <Link href="/admin/orgs" aria-current={current === 'orgs' ? 'page' : undefined} className={current === 'orgs' ? styles.activeTab : styles.tab}>
        Organizations
      </Link>
    </nav>
  );
}
