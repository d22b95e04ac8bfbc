import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { safeRedirect } from '@/lib/redirect';
import { RegisterForm } from './RegisterForm';

export const metadata: Metadata = { title: 'Create an account' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RegisterPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const raw = Array.isArray(params.redirect) ? params.redirect[0] : params.redirect;
  const redirectTo = safeRedirect(raw);
  return (
    <AuthShell
      title="Create your account"
      subtitle="It takes less than a minute."
      footer={
        <>
          Already have an account? <Link href={raw ? `/login?redirect=${encodeURIComponent(redirectTo)}` : '/login'}>Sign in</Link>
        </>
      }
    >
      <RegisterForm redirectTo={redirectTo} />
    </AuthShell>
  );
}
