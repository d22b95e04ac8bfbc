import styles from './Spinner.module.css';

/** A small spinning ring. Decorative: pair it with text (Button does) or an aria-live status. */
export function Spinner({ size = 16 }: { size?: number }) {
  return <span className={styles.spinner} style={{ width: size, height: size }} aria-hidden="true" />;
}
