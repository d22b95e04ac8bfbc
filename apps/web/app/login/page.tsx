import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthShell } from '@/components/AuthShell';
import { FormAlert } from '@/components/FormAlert';
import { EmailCodeSignIn } from '@/components/EmailCodeSignIn';
import { OAuthButtons } from '@/components/OAuthButtons';
import { PasskeyButton } from '@/components/PasskeyButton';
import { loginErrorMessage } from '@/lib/form-errors';
import { safeRedirect } from '@/lib/redirect';
import { LoginForm } from './LoginForm';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** `/login?notice=<code>`: where a finished action that signed the person out lands. Unknown codes show nothing. */
const NOTICES: Record<string, string> = {
  account_deleted: 'Your account has been deleted. We emailed you a confirmation.',
};

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const rawRedirect = first(params.redirect);
  // Only a same-origin path survives; anything else becomes /dashboard.
  const redirectTo = safeRedirect(rawRedirect);
  const oauthMfa = first(params.mfa) === 'oauth';
  const noticeCode = first(params.notice);
  const notice = noticeCode && Object.hasOwn(NOTICES, noticeCode) ? NOTICES[noticeCode] : undefined;
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
      {notice && <FormAlert tone="success">{notice}</FormAlert>}
      {/* After a provider sign-in for an account with MFA, the form picks up the challenge (mfa=oauth). */}
      {oauthMfa ? null : <OAuthButtons redirectTo={redirectTo} />}
      <LoginForm redirectTo={redirectTo} initialError={loginErrorMessage(first(params.error))} oauthMfa={oauthMfa} />
      {oauthMfa ? null : <PasskeyButton redirectTo={redirectTo} />}
      {oauthMfa ? null : <EmailCodeSignIn redirectTo={redirectTo} signInToken={first(params.signInToken)} />}
    </AuthShell>
  );
}
