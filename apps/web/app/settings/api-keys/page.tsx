import type { Metadata } from 'next';
import { Card } from '@/components/Card';
import { PageHeader } from '@/components/PageHeader';
import { getT } from '@/lib/i18n/server';
import { requireUser } from '@/lib/session';
import { ApiKeys } from './ApiKeys';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('apiKeys.title') };
}

export default async function ApiKeysPage() {
  const user = await requireUser('/settings/api-keys');
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('settings.eyebrow')} title={t('apiKeys.title')} description={t('apiKeys.description')} />
      <Card title={t('apiKeys.card')} description={t('apiKeys.cardDescription')}>
        <ApiKeys role={user.role} />
      </Card>
    </div>
  );
}
