import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { Time } from '@/components/Time';
import { requireUser } from '@/lib/session';
import { SessionSummary } from './SessionSummary';
import { VerifyEmailBanner } from './VerifyEmailBanner';
import styles from './page.module.css';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  return (
    <div className="container page">
      <PageHeader
        eyebrow="Dashboard"
        title={
          <>
            Welcome, <span data-testid="welcome-name">{user.displayName}</span>
          </>
        }
        description="Your account at a glance."
      />
      {!user.emailVerified && <VerifyEmailBanner email={user.email} />}
      <div className="grid">
        <Card title="Account" description="The details we hold about you.">
          <dl className={styles.facts}>
            <dt>Name</dt>
            <dd>{user.displayName}</dd>
            <dt>Email</dt>
            <dd>
              {user.email} <span className={user.emailVerified ? styles.good : styles.warn}>{user.emailVerified ? 'Verified' : 'Not verified'}</span>
            </dd>
            <dt>Role</dt>
            <dd className={styles.capitalize}>{user.role}</dd>
            <dt>Member since</dt>
            <dd>
              <Time iso={user.createdAt} format="date" />
            </dd>
          </dl>
        </Card>
        <Card title="Security" description="Sessions and sign-in protection." actions={<Link href="/settings/security">Manage</Link>}>
          <dl className={styles.facts}>
            <dt>Two-step verification</dt>
            <dd>
              <span className={user.mfaEnabled ? styles.good : styles.warn}>{user.mfaEnabled ? 'On' : 'Off'}</span>
            </dd>
            <dt>Signed-in devices</dt>
            <dd>
              <SessionSummary />
            </dd>
          </dl>
        </Card>
      </div>
      <div className={styles.section}>
        <Card title="Projects" description="Everything you build with Portcullis, in one place." actions={<Link href="/projects">Open projects</Link>}>
          <EmptyState icon="◇" title="Your projects">
            Create, edit and delete your projects on the <Link href="/projects">projects page</Link>.
          </EmptyState>
        </Card>
      </div>
    </div>
  );
}
