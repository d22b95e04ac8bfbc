'use client';
import { hasPermission } from '@portcullis/sdk';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { useAuth } from './AuthProvider';
import { Button } from './Button';
import styles from './Header.module.css';
import { OrgSwitcher } from './OrgSwitcher';

const NAV = [
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/projects', label: 'Projects' },
  { href: '/settings/profile', label: 'Profile' },
  { href: '/settings/security', label: 'Security' },
];
/** Only for roles that may manage users; the pages check again on the server (lib/admin.ts). */
const ADMIN_NAV = { href: '/admin', label: 'Admin' };

/** Site header: brand, the signed-in person's name and sign-out, or the ways in. */
export function Header() {
  const { user, signOut } = useAuth();
  const pathname = usePathname();
  const [signingOut, setSigningOut] = useState(false);
  const [failed, setFailed] = useState(false);

  async function onSignOut() {
    setSigningOut(true);
    setFailed(false);
    try {
      await signOut();
    } catch {
      setFailed(true);
      setSigningOut(false);
    }
  }

  return (
    <header className={styles.header}>
      <div className={`container ${styles.inner}`}>
        <Link href={user ? '/dashboard' : '/'} className={styles.brand}>
          <span className={styles.logo} aria-hidden="true">
            P
          </span>
          Portcullis
        </Link>
        {user && (
          <nav aria-label="Main" className={styles.nav}>
            {[...NAV, ...(hasPermission(user.role, 'manage_users') ? [ADMIN_NAV] : [])].map((item) => {
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
          {user ? (
            <>
              <OrgSwitcher />
              <span className={styles.avatar} aria-hidden="true">
                {initial(user.displayName)}
              </span>
              <span className={styles.name} data-testid="header-user-name">
                {user.displayName}
              </span>
              <Button variant="secondary" size="sm" onClick={onSignOut} loading={signingOut} loadingText="Signing out…">
                Sign out
              </Button>
            </>
          ) : (
            <>
              <Link href="/login" className={styles.navLink}>
                Sign in
              </Link>
              <Link href="/register" className={styles.cta}>
                Create account
              </Link>
            </>
          )}
        </div>
      </div>
      <div role="alert" aria-live="assertive" className={failed ? styles.failure : undefined}>
        {failed && 'We could not sign you out: check your connection and try again.'}
      </div>
    </header>
  );
}

/** First letter of the name (text, never markup). */
function initial(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? '?';
}
