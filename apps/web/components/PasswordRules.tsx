import { PASSWORD_RULES } from '@/lib/password-rules';
import styles from './PasswordRules.module.css';

/** The password policy as a checklist, visible before the first submit and ticked while typing. */
export function PasswordRules({ password, id }: { password: string; id?: string }) {
  return (
    <ul className={styles.rules} id={id}>
      {PASSWORD_RULES.map((rule) => {
        const met = rule.test(password);
        return (
          <li key={rule.id} className={met ? styles.met : styles.unmet}>
            <span className={styles.mark} aria-hidden="true">
              {met ? '✓' : '•'}
            </span>
            {rule.label}
            <span className="visually-hidden">{met ? ' (done)' : ' (required)'}</span>
          </li>
        );
      })}
    </ul>
  );
}
