import Link from 'next/link';
import { getT } from '@/lib/i18n/server';
import { getSessionUser } from '@/lib/session';
import styles from './page.module.css';

// Each names a pair of catalogue keys: home.NAME.title and home.NAME.text.
const FEATURES = ['tokens', 'sessions', 'revocation'] as const;

export default async function LandingPage() {
  const user = await getSessionUser();
  const t = await getT();
  return (
    <div className={styles.hero}>
      <div className="container">
        <p className={styles.badge}>{t('home.badge')}</p>
        <h1 className={styles.title}>{t('home.title')}</h1>
        <p className={styles.lead}>{t('home.lead')}</p>
        <div className={styles.actions}>
          {user ? (
            <Link href="/dashboard" className={styles.primary}>
              {t('home.dashboard')}
            </Link>
          ) : (
            <>
              <Link href="/register" className={styles.primary}>
                {t('login.createAccount')}
              </Link>
              <Link href="/login" className={styles.secondary}>
                {t('header.signIn')}
              </Link>
            </>
          )}
        </div>
        <ul className={styles.features}>
          {FEATURES.map((f) => (
            <li key={f} className={styles.feature}>
              <h2>{t(`home.${f}.title`)}</h2>
              <p>{t(`home.${f}.text`)}</p>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
