'use client';
import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import styles from './Field.module.css';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  name: string;
  /** The message for this field (the contract's `details[].message`); marks the input invalid. */
  error?: string;
  /** Help shown under the input before anything goes wrong. */
  hint?: ReactNode;
  /** Right-aligned next to the label. Comes before the input in tab order: not for links people need after it. */
  labelAside?: ReactNode;
  /** Inside the input's right edge, e.g. a show/hide button (after the input in tab order). */
  trailing?: ReactNode;
  /** Under the input, before the hint, e.g. a "Forgot password?" link (after the input in tab order). */
  after?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input whose hint and error are tied to it with aria-describedby. */
export function Field({ label, name, error, hint, labelAside, trailing, after, className, ref, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`${styles.field} ${className ?? ''}`}>
      <div className={styles.labelRow}>
        <label htmlFor={id} className={styles.label}>
          {label}
        </label>
        {labelAside}
      </div>
      {trailing ? (
        <div className={styles.inputRow}>
          <input
            {...input}
            ref={ref}
            id={id}
            name={name}
            className={`${styles.input} ${styles.withTrailing}`}
            aria-invalid={error || input['aria-invalid'] ? true : undefined}
            aria-describedby={describedBy}
          />
          <div className={styles.trailing}>{trailing}</div>
        </div>
      ) : (
        <input
          {...input}
          ref={ref}
          id={id}
          name={name}
          className={styles.input}
          aria-invalid={error || input['aria-invalid'] ? true : undefined}
          aria-describedby={describedBy}
        />
      )}
      {after}
      {error && (
        <p id={errorId} className={styles.error}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
      {hint && (
        <div id={hintId} className={styles.hint}>
          {hint}
        </div>
      )}
    </div>
  );
}
