import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/Card';
import { PageHeader } from '@/components/PageHeader';
import { rich } from '@/lib/i18n/rich';
import { getT } from '@/lib/i18n/server';
import { requireUser } from '@/lib/session';
import { ChangePasswordForm } from './ChangePasswordForm';
import { LinkedProviders } from './LinkedProviders';
import { MfaSection } from './MfaSection';
import { PasskeysCard } from './PasskeysCard';
import { SessionsList } from './SessionsList';
import { SignOutEverywhere } from './SignOutEverywhere';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('security.title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function SecurityPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser('/settings/security');
  const t = await getT();
  // Where a provider link flow comes back: ?linked=<provider> or ?error=<code>.
  const params = await searchParams;
  return (
    <div className="container page">
      <PageHeader
        eyebrow={t('settings.eyebrow')}
        title={t('security.title')}
        description={rich(t('security.description'), {
          name: <strong>{user.displayName}</strong>,
          email: user.email,
          profileLink: <Link href="/settings/profile">{t('security.profileLink')}</Link>,
          apiKeysLink: <Link href="/settings/api-keys">{t('apiKeys.title')}</Link>,
        })}
      />
      <div className="stack">
        <Card title={t('security.sessionsCard')} description={t('security.sessionsCardDescription')}>
          <SessionsList />
        </Card>
        <Card title={t('security.passwordCard')} description={t('security.passwordCardDescription')}>
          <ChangePasswordForm email={user.email} />
        </Card>
        <Card title={t('security.providersCard')} description={t('security.providersCardDescription')}>
          <LinkedProviders linked={first(params.linked)} error={first(params.error)} />
        </Card>
        <Card title={t('security.passkeysCard')} description={t('security.passkeysCardDescription')}>
          <PasskeysCard mfaEnabled={user.mfaEnabled} />
        </Card>
        <Card title={t('security.mfaCard')} description={t('security.mfaCardDescription')}>
          <MfaSection initiallyEnabled={user.mfaEnabled} email={user.email} />
        </Card>
        <Card tone="danger" title={t('security.everywhere')} description={t('security.everywhereDescription')}>
          <SignOutEverywhere />
        </Card>
      </div>
    </div>
  );
}
