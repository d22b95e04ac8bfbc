import { Button } from './Button';
import styles from './Pager.module.css';

/** Previous/next paging for a list of `pages` pages; hidden when there is only one. */
export function Pager({
  page,
  pages,
  busy,
  onPage,
  previousLabel = '← Previous',
  nextLabel = 'Next →',
}: {
  page: number;
  pages: number;
  busy?: boolean;
  onPage: (page: number) => void;
  previousLabel?: string;
  nextLabel?: string;
}) {
  if (pages <= 1) return null;
  return (
    <nav className={styles.pager} aria-label="Pages">
      <Button size="sm" variant="ghost" disabled={page <= 1 || busy} onClick={() => onPage(page - 1)}>
        {previousLabel}
      </Button>
      <span className="muted">
        Page {page} of {pages}
      </span>
      <Button size="sm" variant="ghost" disabled={page >= pages || busy} onClick={() => onPage(page + 1)}>
        {nextLabel}
      </Button>
    </nav>
  );
}
