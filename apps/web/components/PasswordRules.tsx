'use client';
import { useT } from '@/lib/i18n/client';
import { MAX, MIN, PASSWORD_RULES } from '@/lib/password-rules';
import { passwordStrength, useCommonCheck } from '@/lib/password-strength';
import styles from './PasswordRules.module.css';

/**
 * The password policy as a checklist, visible before the first submit and ticked while typing,
 * with "not a common password" (asked of the API by hash prefix) and a strength meter.
 */
export function PasswordRules({ password, id }: { password: string; id?: string }) {
  const t = useT();
  const common = useCommonCheck(password);
  const strength = passwordStrength(password, common === 'common');
  const rows = [
    ...PASSWORD_RULES.map((rule) => ({ id: rule.id, label: t(`password.rule.${rule.id}`, { min: MIN, max: MAX }), met: rule.test(password) })),
    { id: 'common', label: t('password.notCommon'), met: common === 'not-common' },
  ];
  return (
    <div className={styles.wrap}>
      {password && (
        <div className={styles.strength} data-strength={strength} data-testid="password-strength">
          <span className={styles.bar} aria-hidden="true">
            {[1, 2, 3, 4].map((n) => (
              <span key={n} className={n <= strength ? styles.filled : undefined} />
            ))}
          </span>
          <span>{t('password.strength', { level: t(`password.strength.${strength}`) })}</span>
        </div>
      )}
      <ul className={styles.rules} id={id}>
        {rows.map((rule) => (
          <li key={rule.id} className={rule.met ? styles.met : styles.unmet} data-rule={rule.id}>
            <span className={styles.mark} aria-hidden="true">
              {rule.met ? '✓' : '•'}
            </span>
            {rule.label}
            <span className="visually-hidden">{rule.met ? t('password.done') : t('password.required')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
