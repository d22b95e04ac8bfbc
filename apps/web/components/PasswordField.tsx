'use client';
// A password input with a show/hide button (people on phones mistype; WCAG 3.3.8 accessible
// authentication). Showing it never changes autocomplete, so password managers still fill it.
import { useState } from 'react';
import { useT } from '@/lib/i18n/client';
import { Field, type FieldProps } from './Field';
import styles from './PasswordField.module.css';

export function PasswordField(props: Omit<FieldProps, 'type' | 'trailing'>) {
  const t = useT();
  const [shown, setShown] = useState(false);
  return (
    <Field
      {...props}
      type={shown ? 'text' : 'password'}
      spellCheck={false}
      autoCapitalize="off"
      trailing={
        <button type="button" className={styles.toggle} aria-pressed={shown} onClick={() => setShown((s) => !s)}>
          {shown ? t('password.hideShort') : t('password.showShort')}
          <span className="visually-hidden"> {props.label}</span>
        </button>
      }
    />
  );
}
