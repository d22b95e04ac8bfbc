import type { oauth, ResponseOf } from '@portcullis/contract';
import { useEffect, useState } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { apiJson } from '@/lib/api';

/**
 * Whether the signed-in account has a password, asked once `active`. Until the answer (or if it
 * never comes) a password is assumed: the usual case, and the API says so if it is not needed.
 */
export function useHasPassword(active = true): boolean {
  const { client, ready } = useAuth();
  const [hasPassword, setHasPassword] = useState(true);

  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    ready()
      .then(() => apiJson<ResponseOf<typeof oauth.listLinkedAccounts>>(client, 'GET', '/api/auth/oauth/accounts'))
      .then((answer) => {
        if (!cancelled) setHasPassword(answer.hasPassword);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [active, client, ready]);

  return hasPassword;
}
