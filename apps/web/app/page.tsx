import Link from 'next/link';
import { getSessionUser } from '@/lib/session';
import styles from './page.module.css';

const FEATURES = [
  { title: 'Short-lived tokens', text: 'Signed access tokens kept in memory only, refreshed quietly before they expire.' },
  { title: 'Sessions you can see', text: 'Every device that is signed in, where and when — revoke any of them in one click.' },
  { title: 'Revocation that sticks', text: 'Sign out everywhere, change your password, and old tokens stop working at once.' },
];

export default async function LandingPage() {
  const user = await getSessionUser();
  return (
    <div className={styles.hero}>
      <div className="container">
        <p className={styles.badge}>Open-source authentication</p>
        <h1 className={styles.title}>Keep the gate. Let the right people in.</h1>
        <p className={styles.lead}>Portcullis gives your apps sign-up, sign-in, sessions and roles — with the security details done right.</p>
        <div className={styles.actions}>
          {user ? (
            <Link href="/dashboard" className={styles.primary}>
              Go to your dashboard
            </Link>
          ) : (
            <>
              <Link href="/register" className={styles.primary}>
                Create an account
              </Link>
              <Link href="/login" className={styles.secondary}>
                Sign in
              </Link>
            </>
          )}
        </div>
        <ul className={styles.features}>
          {FEATURES.map((f) => (
            <li key={f.title} className={styles.feature}>
              <h2>{f.title}</h2>
              <p>{f.text}</p>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
