import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { getT } from '@/lib/i18n/server';
import { ForgotPasswordForm } from './ForgotPasswordForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('forgot.metaTitle') };
}

export default async function ForgotPasswordPage() {
  const t = await getT();
  return (
    <AuthShell title={t('forgot.title')} subtitle={t('forgot.subtitle')} footer={<Link href="/login">{t('forgot.back')}</Link>}>
      <ForgotPasswordForm />
    </AuthShell>
  );
}
