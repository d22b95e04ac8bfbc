import { getT } from '@/lib/i18n/server';
import { apiUrl } from '@/lib/session-check';
import styles from './OAuthButtons.module.css';

interface Provider {
  id: string;
  name: string;
}

/** The providers the API has configured (none: the section is not shown at all). */
async function configuredProviders(): Promise<Provider[]> {
  try {
    const res = await fetch(`${apiUrl()}/api/auth/oauth/providers`, { cache: 'no-store', signal: AbortSignal.timeout(3_000) });
    if (!res.ok) return [];
    const body = (await res.json()) as { providers?: unknown };
    if (!Array.isArray(body.providers)) return [];
    return body.providers.filter((p): p is Provider => typeof p?.id === 'string' && /^[a-z0-9_-]{1,32}$/.test(p.id) && typeof p?.name === 'string');
  } catch {
    return [];
  }
}

/**
 * "Continue with …" for each configured provider: plain links (a full navigation to the API's
 * authorize endpoint, which redirects to the provider), so they work before any script has loaded.
 * `redirectTo` has already been through safeRedirect; the API checks it again.
 */
export async function OAuthButtons({ redirectTo }: { redirectTo: string }) {
  const providers = await configuredProviders();
  if (providers.length === 0) return null;
  const t = await getT();
  const query = redirectTo === '/dashboard' ? '' : `?redirect=${encodeURIComponent(redirectTo)}`;
  return (
    <div className={styles.wrap}>
      <ul className={styles.list} aria-label={t('oauth.list')}>
        {providers.map((p) => (
          <li key={p.id}>
            <a className={styles.provider} href={`/api/auth/oauth/${p.id}/authorize${query}`} data-provider={p.id}>
              <span className={styles.mark} aria-hidden="true">
                {p.name.slice(0, 1).toUpperCase()}
              </span>
              {t('oauth.continue', { provider: p.name })}
            </a>
          </li>
        ))}
      </ul>
      <p className={styles.divider}>
        <span>{t('oauth.orEmail')}</span>
      </p>
    </div>
  );
}
