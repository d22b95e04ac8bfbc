'use client';
// A user's linked sign-in providers on the admin's user page, each with an unlink after a
// confirmation. Not offered for the account's only way to sign in (the server refuses it too).
import type { AdminAccount } from '@portcullis/sdk';
import { useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Card } from '@/components/Card';
import { Time } from '@/components/Time';
import { apiJson } from '@/lib/api';
import { useT } from '@/lib/i18n/client';
import styles from '../../admin.module.css';

const PROVIDERS = { google: 'admin.method.google', github: 'admin.method.github', oidc: 'admin.method.oidc' } as const;

export function Providers({
  data,
  working,
  act,
}: {
  data: AdminAccount;
  working: boolean;
  /** UserDetail's runner: shows the sentence it answers, or the error, then reloads. */
  act(run: () => Promise<string>): void;
}) {
  const t = useT();
  const { client } = useAuth();
  const [confirming, setConfirming] = useState<string | null>(null);
  const { user, identities } = data;
  // signInMethods counts the password and each provider; a passkey the console does not see is the server's to count.
  const onlyWay = user.signInMethods.length <= 1 && identities.length <= 1;
  const name = (provider: string) => (provider in PROVIDERS ? t(PROVIDERS[provider as keyof typeof PROVIDERS]) : provider);
  return (
    <Card title={t('admin.user.providers')}>
      {identities.length === 0 ? (
        <p className="muted">{t('admin.user.providersEmpty')}</p>
      ) : (
        <ul className={styles.list} data-testid="user-providers">
          {identities.map((i) => (
            <li key={i.id} className={styles.listItem}>
              <span>
                <strong>{name(i.provider)}</strong> {i.email}
                <br />
                <span className="muted">
                  {t('admin.user.linkedAt')} <Time iso={i.linkedAt} format="date" />
                </span>
              </span>
              {confirming === i.id ? (
                <span className={styles.confirm} role="group" aria-label={t('admin.confirm.group')}>
                  <span>{t('admin.user.unlinkConfirm', { provider: name(i.provider), name: user.displayName })}</span>
                  <Button
                    size="sm"
                    variant="danger"
                    loading={working}
                    onClick={() =>
                      act(async () => {
                        await apiJson(client, 'DELETE', `/api/admin/users/${user.id}/identities/${i.id}`);
                        setConfirming(null);
                        return t('admin.user.unlinked', { provider: name(i.provider), name: user.displayName });
                      })
                    }
                  >
                    {t('admin.confirm.ok')}
                  </Button>
                  <Button size="sm" variant="ghost" disabled={working} onClick={() => setConfirming(null)}>
                    {t('admin.confirm.cancel')}
                  </Button>
                </span>
              ) : onlyWay ? (
                <span className="muted">{t('admin.user.unlinkLast')}</span>
              ) : (
                <Button size="sm" variant="secondary" disabled={working} onClick={() => setConfirming(i.id)}>
                  {t('admin.user.unlink')}
                  <span className="visually-hidden"> {name(i.provider)}</span>
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
