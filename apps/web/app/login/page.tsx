import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { OAuthButtons } from '@/components/OAuthButtons';
import { loginErrorMessage } from '@/lib/form-errors';
import { safeRedirect } from '@/lib/redirect';
import { LoginForm } from './LoginForm';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const rawRedirect = first(params.redirect);
  // Only a same-origin path survives; anything else becomes /dashboard.
  const redirectTo = safeRedirect(rawRedirect);
  const oauthMfa = first(params.mfa) === 'oauth';
  const registerHref = rawRedirect ? `/register?redirect=${encodeURIComponent(redirectTo)}` : '/register';
  return (
    <AuthShell
      title="Sign in to Portcullis"
      subtitle="Welcome back. Enter your details to continue."
      footer={
        <>
          New here? <Link href={registerHref}>Create an account</Link>
        </>
      }
    >
      {/* After a provider sign-in for an account with MFA, the form picks up the challenge (mfa=oauth). */}
      {oauthMfa ? null : <OAuthButtons redirectTo={redirectTo} />}
      <LoginForm redirectTo={redirectTo} initialError={loginErrorMessage(first(params.error))} oauthMfa={oauthMfa} />
    </AuthShell>
  );
}
