import type { ReactNode } from 'react';
import styles from './Card.module.css';

export interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons or links at the right of the title. */
  actions?: ReactNode;
  children?: ReactNode;
  /** `danger` for irreversible actions (sign out everywhere, delete). */
  tone?: 'default' | 'danger';
  className?: string;
}

/** A titled section of a page. The title is an h2: a page's own title is its PageHeader h1. */
export function Card({ title, description, actions, children, tone = 'default', className }: CardProps) {
  return (
    <section className={`${styles.card} ${tone === 'danger' ? styles.danger : ''} ${className ?? ''}`}>
      {(title || actions) && (
        <header className={styles.header}>
          <div className={styles.heading}>
            {title && <h2 className={styles.title}>{title}</h2>}
            {description && <p className={styles.description}>{description}</p>}
          </div>
          {actions && <div className={styles.actions}>{actions}</div>}
        </header>
      )}
      {children && <div className={styles.body}>{children}</div>}
    </section>
  );
}
