'use client';
// The signed-in person's menu, in the manner of Clerk's <UserButton/>: the avatar opens a panel
// with their name and email, their settings, Admin when allowed, and sign-out. A disclosure
// (button + panel of links), closed by Escape, by a click outside or by following a link.
import { hasPermission, type User } from '@portcullis/sdk';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { useT } from '@/lib/i18n/client';
import { Button } from './Button';
import styles from './Header.module.css';

export function AccountMenu({ user, onSignOut }: { user: User; onSignOut: () => Promise<void> }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();

  useEffect(() => setOpen(false), [pathname]);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  async function signOut() {
    setSigningOut(true);
    try {
      await onSignOut();
    } catch {
      setSigningOut(false);
    }
  }

  const links = [
    { href: '/settings/profile', label: t('nav.profile') },
    { href: '/settings/security', label: t('nav.security') },
    ...(hasPermission(user.role, 'manage_users') ? [{ href: '/admin', label: t('nav.admin') }] : []),
  ];

  return (
    <div className={styles.menuRoot} ref={root}>
      <button ref={button} type="button" className={styles.menuButton} aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        {/* The name it is known by, as text (not aria-label): the visible name is part of it, and it stays when the phone hides the visible one. */}
        <span className="visually-hidden">{t('header.accountMenu', { name: user.displayName })}</span>
        <span className={styles.avatar} aria-hidden="true">
          {initial(user.displayName)}
        </span>
        <span className={styles.name} data-testid="header-user-name" aria-hidden="true">
          {user.displayName}
        </span>
        <span className={styles.caret} aria-hidden="true">
          ▾
        </span>
      </button>
      <div id={panelId} className={styles.menuPanel} hidden={!open}>
        <div className={styles.menuWho}>
          <span className={styles.menuName}>{user.displayName}</span>
          <span className={styles.menuEmail}>{user.email}</span>
        </div>
        <ul className={styles.menuList}>
          {links.map((link) => (
            <li key={link.href}>
              <Link href={link.href} className={styles.menuItem} onClick={() => setOpen(false)}>
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
        <div className={styles.menuFooter}>
          <Button variant="secondary" size="sm" block onClick={signOut} loading={signingOut} loadingText={t('header.signingOut')}>
            {t('header.signOut')}
          </Button>
        </div>
      </div>
    </div>
  );
}

/** First letter of the name (text, never markup). */
export function initial(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? '?';
}
