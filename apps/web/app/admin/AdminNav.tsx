import Link from 'next/link';
import { getT } from '@/lib/i18n/server';
import styles from './admin.module.css';

/** Tabs between the admin pages. */
export async function AdminNav({ current }: { current: 'users' | 'audit' }) {
  const t = await getT();
  return (
    <nav className={styles.tabs} aria-label={t('admin.nav')}>
      <Link href="/admin/users" aria-current={current === 'users' ? 'page' : undefined} className={current === 'users' ? styles.activeTab : styles.tab}>
        {t('admin.nav.users')}
      </Link>
      <Link href="/admin/audit" aria-current={current === 'audit' ? 'page' : undefined} className={current === 'audit' ? styles.activeTab : styles.tab}>
        {t('admin.nav.audit')}
      </Link>
    </nav>
  );
}
