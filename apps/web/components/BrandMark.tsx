'use client';
// The product's mark: the operator's logo (APP_LOGO_URL) or the first letter of APP_NAME.
import { useI18n } from '@/lib/i18n/client';
import { initial } from './AccountMenu';
import styles from './BrandMark.module.css';

export function BrandMark({ className }: { className?: string }) {
  const { appName, logoUrl } = useI18n();
  if (logoUrl) {
    // A plain img: an operator's URL on any host (next/image would need the host at build time). Decorative: the name is beside it.
    return <img src={logoUrl} alt="" className={`${className ?? ''} ${styles.image}`} />;
  }
  return (
    <span className={`${className ?? ''} ${styles.letter}`} aria-hidden="true">
      {initial(appName)}
    </span>
  );
}
