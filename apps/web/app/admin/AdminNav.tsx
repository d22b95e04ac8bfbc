import Link from 'next/link';
import { getT } from '@/lib/i18n/server';
import styles from './admin.module.css';

/** Tabs between the admin pages. */
export async function AdminNav({ current }: { current: 'users' | 'audit' | 'webhooks' | 'service-accounts' | 'orgs' }) {
  const t = await getT();
  return (
    <nav className={styles.tabs} aria-label={t('admin.nav')}>
      <Link href="/admin/users" aria-current={current === 'users' ? 'page' : undefined} className={current === 'users' ? styles.activeTab : styles.tab}>
        {t('admin.nav.users')}
      </Link>
      <Link href="/admin/audit" aria-current={current === 'audit' ? 'page' : undefined} className={current === 'audit' ? styles.activeTab : styles.tab}>
        {t('admin.nav.audit')}
      </Link>
      <Link
        href="/admin/webhooks"
        aria-current={current === 'webhooks' ? 'page' : undefined}
        className={current === 'webhooks' ? styles.activeTab : styles.tab}
      >
        {t('admin.nav.webhooks')}
      </Link>
      <Link
        href="/admin/service-accounts"
        aria-current={current === 'service-accounts' ? 'page' : undefined}
        className={current === 'service-accounts' ? styles.activeTab : styles.tab}
      >
        {t('admin.nav.serviceAccounts')}
      </Link>
      <Link href="/admin/orgs" aria-current={current === 'orgs' ? 'page' : undefined} className={current === 'orgs' ? styles.activeTab : styles.tab}>
        {t('admin.nav.orgs')}
      </Link>
    </nav>
  );
}
