'use client';
import { useT } from '@/lib/i18n/client';
import { Button } from './Button';
import styles from './Pager.module.css';

/** Previous/next paging for a list of `pages` pages; hidden when there is only one. The labels default to the catalogue's. */
export function Pager({
  page,
  pages,
  busy,
  onPage,
  previousLabel,
  nextLabel,
}: {
  page: number;
  pages: number;
  busy?: boolean;
  onPage: (page: number) => void;
  previousLabel?: string;
  nextLabel?: string;
}) {
  const t = useT();
  if (pages <= 1) return null;
  return (
    <nav className={styles.pager} aria-label={t('pager.label')}>
      <Button size="sm" variant="ghost" disabled={page <= 1 || busy} onClick={() => onPage(page - 1)}>
        {previousLabel ?? t('pager.previous')}
      </Button>
      <span className="muted">{t('pager.position', { page, pages })}</span>
      <Button size="sm" variant="ghost" disabled={page >= pages || busy} onClick={() => onPage(page + 1)}>
        {nextLabel ?? t('pager.next')}
      </Button>
    </nav>
  );
}
