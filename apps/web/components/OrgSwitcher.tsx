'use client';
import type { Membership } from '@portcullis/contract';
import Link from 'next/link';
import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { useOrganizations } from '@/components/useOrganizations';
import { useT } from '@/lib/i18n/client';
import { activeOrganizationId, announceOrgsChanged, ORGS_CHANGED } from '@/lib/orgs';
import { useAuth } from './AuthProvider';

/** The header's organization switcher (issue 16): personal or one of the person's organizations. */
export function OrgSwitcher() {
  const { client, user, ready } = useAuth();
  const orgs = useOrganizations();
  const t = useT();
  const [list, setList] = useState<Membership[] | null>(null);
  const [active, setActive] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    await ready();
    const mine = await orgs.list();
    setList(mine);
    setActive(activeOrganizationId(client) ?? '');
  }, [client, orgs, ready]);

  useEffect(() => {
    if (!user) return;
    const reload = () => void load().catch(() => setList(null));
    reload();
    window.addEventListener(ORGS_CHANGED, reload);
    return () => window.removeEventListener(ORGS_CHANGED, reload);
  }, [user, load]);

  async function onChange(event: ChangeEvent<HTMLSelectElement>) {
    const id = event.target.value || null;
    setBusy(true);
    try {
      await orgs.switchTo(id);
      setActive(id ?? '');
      announceOrgsChanged();
    } catch {
      setActive(activeOrganizationId(client) ?? '');
    } finally {
      setBusy(false);
    }
  }

  if (!user || list === null) return null;
  if (list.length === 0) {
    return (
      <Link href="/orgs" data-testid="org-switcher-empty">
        {t('orgSwitcher.link')}
      </Link>
    );
  }
  return (
    <span>
      <select aria-label={t('orgSwitcher.label')} data-testid="org-switcher" value={active} onChange={onChange} disabled={busy}>
        <option value="">{t('orgSwitcher.personal')}</option>
        {list.map((m) => (
          <option key={m.organization.id} value={m.organization.id}>
            {m.organization.name}
          </option>
        ))}
      </select>{' '}
      <Link href={active ? `/orgs/${active}` : '/orgs'}>{t('orgSwitcher.manage')}</Link>
    </span>
  );
}
