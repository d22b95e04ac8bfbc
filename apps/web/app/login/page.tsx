import type { Metadata } from 'next';
import Link from 'next/link';
import { FormAlert } from '@/components/FormAlert';
import { EmailCodeSignIn } from '@/components/EmailCodeSignIn';
import { OAuthButtons } from '@/components/OAuthButtons';
import { PasskeyButton } from '@/components/PasskeyButton';
import { loginErrorMessage } from '@/lib/form-errors';
import { getT } from '@/lib/i18n/server';
import { safeRedirect } from '@/lib/redirect';
import { isSessionEndReason } from '@/lib/session-end';
import { LoginForm } from './LoginForm';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())('login.submit') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** `/login?notice=<code>`: where a finished action that signed the person out lands. Unknown codes show nothing. */
const NOTICES = ['account_deleted', 'password_reset'] as const;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const t = await getT();
  const rawRedirect = first(params.redirect);
  // Only a same-origin path survives; anything else becomes /dashboard.
  const redirectTo = safeRedirect(rawRedirect);
  const oauthMfa = first(params.mfa) === 'oauth';
  const noticeCode = first(params.notice);
  const notice = NOTICES.find((n) => n === noticeCode);
  // `/login?reason=<code>`: why the last session ended (revoked, password changed elsewhere, …).
  const reasonCode = first(params.reason);
  const reason = isSessionEndReason(reasonCode) ? reasonCode : undefined;
  const registerHref = rawRedirect ? `/register?redirect=${encodeURIComponent(redirectTo)}` : '/register';
  return (
    <LoginForm
      redirectTo={redirectTo}
      initialError={loginErrorMessage(first(params.error), t)}
      oauthMfa={oauthMfa}
      banner={
        reason ? (
          <FormAlert tone={reason === 'locked' ? 'error' : 'info'}>
            <strong>{t('reason.title')}.</strong> {t(`reason.${reason}`)}
          </FormAlert>
        ) : notice ? (
          <FormAlert tone="success">{t(`notice.${notice}`)}</FormAlert>
        ) : null
      }
      // After a provider sign-in for an account with MFA, the form picks up the challenge (mfa=oauth).
      oauth={oauthMfa ? null : <OAuthButtons redirectTo={redirectTo} />}
      alternatives={
        oauthMfa ? null : (
          <>
            <PasskeyButton redirectTo={redirectTo} />
            <EmailCodeSignIn redirectTo={redirectTo} signInToken={first(params.signInToken)} />
          </>
        )
      }
      footer={
        <>
          {t('login.newHere')} <Link href={registerHref}>{t('login.createAccount')}</Link>
        </>
      }
    />
  );
}
