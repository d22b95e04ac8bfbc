'use client';
// One field for a 6-digit code: digits only (a pasted "123 456" or "123-456" becomes 123456), the
// platform's one-time-code autofill, and `onComplete` once six digits are there, so nobody has to
// press the button. A single field rather than six boxes: one label, one tab stop, and paste,
// autofill and screen readers all work without special cases.
import { Field, type FieldProps } from './Field';
import styles from './CodeInput.module.css';

export const CODE_LENGTH = 6;

interface CodeInputProps extends Omit<FieldProps, 'value' | 'onChange' | 'type' | 'inputMode' | 'pattern' | 'maxLength'> {
  value: string;
  onValue(value: string): void;
  /** Called with the six digits when they are complete (typed, pasted or filled in). */
  onComplete(code: string): void;
}

export function CodeInput({ value, onValue, onComplete, className, ...field }: CodeInputProps) {
  function change(raw: string) {
    const digits = raw.replace(/\D/g, '').slice(0, CODE_LENGTH);
    onValue(digits);
    if (digits.length === CODE_LENGTH && digits !== value) onComplete(digits);
  }
  return (
    <Field
      {...field}
      className={`${styles.code} ${className ?? ''}`}
      type="text"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      // Room for a pasted code with a space or dash; the value keeps digits only.
      maxLength={CODE_LENGTH + 2}
      spellCheck={false}
      value={value}
      onChange={(e) => change(e.target.value)}
    />
  );
}
