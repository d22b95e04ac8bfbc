'use client';
import { hasPermission } from '@portcullis/sdk';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { useI18n } from '@/lib/i18n/client';
import { useAuth } from './AuthProvider';
import { AccountMenu } from './AccountMenu';
import { BrandMark } from './BrandMark';
import type { Theme } from '@/lib/theme';
import { ThemeToggle } from './ThemeToggle';
import styles from './Header.module.css';
import { OrgSwitcher } from './OrgSwitcher';

/** Site header: brand, the main pages, the theme and the account menu (or the ways in). */
export function Header({ theme }: { theme: Theme }) {
  const { user, signOut } = useAuth();
  const { t, appName } = useI18n();
  const pathname = usePathname();
  const [failed, setFailed] = useState(false);

  async function onSignOut() {
    setFailed(false);
    try {
      await signOut();
    } catch {
      setFailed(true);
      throw new Error('sign-out failed'); // the menu stops its spinner
    }
  }

  // Profile and Security live in the account menu; Admin only for roles that may manage users
  // (the pages check again on the server, lib/admin.ts).
  const nav = user
    ? [
        { href: '/dashboard', label: t('nav.dashboard') },
        { href: '/projects', label: t('nav.projects') },
        ...(hasPermission(user.role, 'manage_users') ? [{ href: '/admin', label: t('nav.admin') }] : []),
      ]
    : [];

  return (
    <header className={styles.header}>
      <div className={`container ${styles.inner}`}>
        <Link href={user ? '/dashboard' : '/'} className={styles.brand}>
          <BrandMark className={styles.logo} />
          <span className={styles.brandName}>{appName}</span>
        </Link>
        {user && (
          <nav aria-label={t('header.nav')} className={styles.nav}>
            {nav.map((item) => {
              const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  className={`${styles.navLink} ${active ? styles.active : ''}`}
                  aria-current={active ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              );
            })}
          </nav>
        )}
        <div className={styles.account}>
          <ThemeToggle initial={theme} />
          {user ? (
            <>
              <OrgSwitcher />
              <AccountMenu user={user} onSignOut={onSignOut} />
            </>
          ) : (
            <>
              <Link href="/login" className={styles.navLink}>
                {t('header.signIn')}
              </Link>
              <Link href="/register" className={styles.cta}>
                {t('header.createAccount')}
              </Link>
            </>
          )}
        </div>
      </div>
      <div role="alert" aria-live="assertive" className={failed ? styles.failure : undefined}>
        {failed && t('header.signOutFailed')}
      </div>
    </header>
  );
}
