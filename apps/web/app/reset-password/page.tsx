import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { ResetPasswordForm } from './ResetPasswordForm';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The link from the reset mail: `/reset-password?token=…`. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = (await searchParams).token;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  return (
    <AuthShell title="Choose a new password" subtitle="This signs you out on every device." footer={<Link href="/login">Back to sign in</Link>}>
      <ResetPasswordForm token={token} />
    </AuthShell>
  );
}
