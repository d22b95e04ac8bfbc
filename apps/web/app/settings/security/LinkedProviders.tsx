'use client';
import type { oauth, ResponseOf } from '@portcullis/contract';
import type { OAUTH_LINK_ERROR_CODES } from '@portcullis/contract/codes';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { Spinner } from '@/components/Spinner';
import { apiJson } from '@/lib/api';
import { formErrorsFrom, loginErrorMessage } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import type { MessageKey } from '@/lib/i18n/core';
import { rich } from '@/lib/i18n/rich';
import { Time } from '@/components/Time';
import { LinkProviderForm } from './LinkProviderForm';
import styles from './security.module.css';

type Identity = oauth.LinkedIdentity;
type Provider = ResponseOf<typeof oauth.listProviders>['providers'][number];

/** Messages for `/settings/security?error=<code>`, where a link flow that failed comes back. */
const LINK_ERRORS: Record<string, MessageKey> = {
  oauth_identity_in_use: 'security.linkError.oauth_identity_in_use',
  oauth_provider_already_linked: 'security.linkError.oauth_provider_already_linked',
  oauth_link_session_expired: 'security.linkError.oauth_link_session_expired',
  oauth_link_wrong_browser: 'security.linkError.oauth_link_wrong_browser',
} satisfies Record<(typeof OAUTH_LINK_ERROR_CODES)[number], MessageKey>;

/**
 * Sign-in providers linked to this account: link another (after proving it is you, LinkProviderForm;
 * the API answers the provider URL, since a page navigation carries no token) and unlink, except
 * the last way to sign in.
 */
export function LinkedProviders({ linked, error }: { linked?: string; error?: string }) {
  const { client, ready, user } = useAuth();
  const t = useT();
  const [identities, setIdentities] = useState<Identity[] | null>(null);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [hasPassword, setHasPassword] = useState(true);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | undefined>(
    error ? (Object.hasOwn(LINK_ERRORS, error) ? t(LINK_ERRORS[error]!) : loginErrorMessage(error, t)) : undefined,
  );
  const [notice, setNotice] = useState<string | undefined>();
  const [linking, setLinking] = useState<Provider | null>(null);

  const load = useCallback(async () => {
    try {
      await ready();
      const [mine, available] = await Promise.all([
        apiJson<ResponseOf<typeof oauth.listLinkedAccounts>>(client, 'GET', '/api/auth/oauth/accounts'),
        fetch('/api/auth/oauth/providers', { cache: 'no-store' }).then((r) => r.json() as Promise<ResponseOf<typeof oauth.listProviders>>),
      ]);
      setIdentities(mine.accounts);
      setHasPassword(mine.hasPassword);
      setProviders(available.providers);
    } catch (err) {
      setMessage(formErrorsFrom(err, []).message);
      setIdentities([]);
    }
  }, [client, ready]);

  useEffect(() => {
    void load();
  }, [load]);

  // `?linked=<provider>` (back from a link flow) is announced once, after the first load.
  const justLinked = useRef(linked);
  useEffect(() => {
    if (!justLinked.current || !identities) return;
    const name = identities.find((i) => i.provider === justLinked.current)?.name ?? t('security.theProvider');
    justLinked.current = undefined;
    setNotice(t('security.providerLinked', { provider: name }));
  }, [identities, t]);

  async function unlink(identity: Identity) {
    setBusy(identity.id);
    setMessage(undefined);
    setNotice(undefined);
    try {
      await apiJson(client, 'DELETE', `/api/auth/oauth/accounts/${identity.id}`);
      setNotice(t('security.providerUnlinked', { provider: identity.name }));
      await load();
    } catch (err) {
      setMessage(formErrorsFrom(err, []).message);
    } finally {
      setBusy(null);
    }
  }

  if (identities === null) {
    return (
      <p className={styles.loading}>
        <Spinner /> {t('security.providersLoading')}
      </p>
    );
  }

  const waysToSignIn = (hasPassword ? 1 : 0) + identities.filter((i) => i.enabled).length;
  const unlinked = providers.filter((p) => !identities.some((i) => i.provider === p.id));
  return (
    <div className={styles.sessions} data-testid="linked-providers">
      <FormAlert>{message}</FormAlert>
      <FormAlert tone="success">{notice}</FormAlert>
      {identities.length === 0 ? (
        <p className="muted">{t('security.noProviders')}</p>
      ) : (
        <ul className={styles.list}>
          {identities.map((identity) => {
            const last = waysToSignIn <= 1 && identity.enabled;
            return (
              <li key={identity.id} className={styles.item}>
                <div className={styles.meta}>
                  <strong>{identity.name}</strong>
                  <div className="muted">
                    {rich(t('security.linkedOn'), {
                      email: identity.email ?? t('security.noEmailShared'),
                      date: <Time iso={identity.linkedAt} format="date" />,
                    })}
                  </div>
                  {last && <div className="muted">{t('security.onlyWay')}</div>}
                </div>
                <Button variant="secondary" size="sm" disabled={last || busy !== null} loading={busy === identity.id} onClick={() => void unlink(identity)}>
                  {t('security.unlink')}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {linking ? (
        <LinkProviderForm
          provider={linking}
          email={user?.email ?? ''}
          hasPassword={hasPassword}
          mfaEnabled={user?.mfaEnabled ?? false}
          onCancel={() => setLinking(null)}
        />
      ) : (
        unlinked.length > 0 && (
          <div>
            {unlinked.map((p) => (
              <Button
                key={p.id}
                variant="secondary"
                size="sm"
                disabled={busy !== null}
                onClick={() => {
                  setMessage(undefined);
                  setLinking(p);
                }}
              >
                {t('security.link', { provider: p.name })}
              </Button>
            ))}
          </div>
        )
      )}
    </div>
  );
}
