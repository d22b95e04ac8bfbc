import type { Metadata } from 'next';
import { PageHeader } from '@/components/PageHeader';
import { getT } from '@/lib/i18n/server';
import { Inbox } from './Inbox';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('inbox.title'), robots: { index: false } };
}

/**
 * The development outbox as an inbox (like Mailpit): every mail the API "sent", readable, its
 * links followable. The browser asks GET /api/dev/outbox itself, through the web app's proxy, so
 * the API's own rule decides (development, no SMTP_URL, this machine only); anywhere else the
 * page only says there is no inbox here.
 */
export default async function DevInboxPage() {
  const t = await getT();
  return (
    <div className="container page">
      <PageHeader eyebrow={t('inbox.eyebrow')} title={t('inbox.title')} description={t('inbox.description')} />
      <Inbox />
    </div>
  );
}
