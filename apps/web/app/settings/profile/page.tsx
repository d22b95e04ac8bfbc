import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/Card';
import { PageHeader } from '@/components/PageHeader';
import { rich } from '@/lib/i18n/rich';
import { getT } from '@/lib/i18n/server';
import { requireUser } from '@/lib/session';
import { ChangeEmail } from './ChangeEmail';
import { DeleteAccount } from './DeleteAccount';
import { ProfileForm } from './ProfileForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('profile.title') };
}

export default async function ProfilePage() {
  const user = await requireUser('/settings/profile');
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader
        eyebrow={t('settings.eyebrow')}
        title={t('profile.title')}
        description={rich(t('profile.description'), {
          name: <strong>{user.displayName}</strong>,
          email: user.email,
          link: <Link href="/settings/security">{t('profile.securityLink')}</Link>,
        })}
      />
      <div className="stack">
        <Card title={t('profile.nameCard')} description={t('profile.nameCardDescription')}>
          <ProfileForm initialName={user.displayName} />
        </Card>
        <Card title={t('profile.emailCard')} description={t('profile.emailCardDescription')}>
          <ChangeEmail email={user.email} />
        </Card>
        <Card tone="danger" title={t('profile.deleteCard')} description={t('profile.deleteCardDescription')}>
          <DeleteAccount email={user.email} mfaEnabled={user.mfaEnabled} />
        </Card>
      </div>
    </div>
  );
}
