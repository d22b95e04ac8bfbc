import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/Card';
import { EmptyState } from '@/components/EmptyState';
import { PageHeader } from '@/components/PageHeader';
import { Time } from '@/components/Time';
import { getT } from '@/lib/i18n/server';
import { requireUser } from '@/lib/session';
import { SessionSummary } from './SessionSummary';
import { VerifyEmailBanner } from './VerifyEmailBanner';
import styles from './page.module.css';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('dashboard.title') };
}

export default async function DashboardPage() {
  const user = await requireUser('/dashboard');
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader
        eyebrow={t('dashboard.title')}
        title={
          <>
            {t('dashboard.welcome')} <span data-testid="welcome-name">{user.displayName}</span>
          </>
        }
        description={t('dashboard.description')}
      />
      {!user.emailVerified && <VerifyEmailBanner email={user.email} />}
      <div className="grid">
        <Card title={t('dashboard.account')} description={t('dashboard.accountDescription')}>
          <dl className={styles.facts}>
            <dt>{t('dashboard.name')}</dt>
            <dd>{user.displayName}</dd>
            <dt>{t('dashboard.email')}</dt>
            <dd>
              {user.email}{' '}
              <span className={user.emailVerified ? styles.good : styles.warn}>
                {user.emailVerified ? t('dashboard.verified') : t('dashboard.notVerified')}
              </span>
            </dd>
            <dt>{t('dashboard.role')}</dt>
            {/* The role's own name (a code, as the API and the admin console spell it). */}
            <dd className={styles.capitalize}>{user.role}</dd>
            <dt>{t('dashboard.memberSince')}</dt>
            <dd>
              <Time iso={user.createdAt} format="date" />
            </dd>
          </dl>
        </Card>
        <Card
          title={t('dashboard.security')}
          description={t('dashboard.securityDescription')}
          actions={<Link href="/settings/security">{t('dashboard.manage')}</Link>}
        >
          <dl className={styles.facts}>
            <dt>{t('dashboard.twoStep')}</dt>
            <dd>
              <span className={user.mfaEnabled ? styles.good : styles.warn}>{user.mfaEnabled ? t('dashboard.on') : t('dashboard.off')}</span>
            </dd>
            <dt>{t('dashboard.devices')}</dt>
            <dd>
              <SessionSummary />
            </dd>
          </dl>
        </Card>
      </div>
      <div className={styles.section}>
        <Card
          title={t('dashboard.projects')}
          description={t('dashboard.projectsDescription')}
          actions={<Link href="/projects">{t('dashboard.openProjects')}</Link>}
        >
          <EmptyState icon="◇" title={t('dashboard.yourProjects')}>
            {t('dashboard.projectsBefore')} <Link href="/projects">{t('dashboard.projectsLink')}</Link>.
          </EmptyState>
        </Card>
      </div>
    </div>
  );
}
