'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useAuth } from '@/components/AuthProvider';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import styles from './profile.module.css';

/** PATCH /api/auth/me with the display name; the header and this page show the new one at once. */
export function ProfileForm({ initialName }: { initialName: string }) {
  const { client, ready, userChanged } = useAuth();
  const router = useRouter();
  const t = useT();
  const [name, setName] = useState(initialName);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [done, setDone] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(undefined);
    const displayName = name.trim();
    if (!displayName) return setErrors({ message: t('profile.correctField'), fields: { displayName: t('register.missingName') } });
    if (displayName.length > LIMITS.displayName)
      return setErrors({
        message: t('profile.correctField'),
        fields: { displayName: t('profile.nameTooLong', { max: LIMITS.displayName }) },
      });
    setBusy(true);
    setErrors({ fields: {} });
    try {
      await ready();
      const user = await client.updateProfile({ displayName });
      userChanged(user);
      setName(user.displayName);
      setDone(t('profile.nameChanged'));
      // Server-rendered parts (this page's header, the dashboard) read the session again.
      router.refresh();
    } catch (error) {
      setErrors(formErrorsFrom(error, ['displayName']));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} noValidate aria-busy={busy} aria-label={t('profile.nameCard')}>
      <FormAlert>{errors.message}</FormAlert>
      <FormAlert tone="success">{done}</FormAlert>
      <Field
        label={t('profile.displayName')}
        name="displayName"
        autoComplete="name"
        maxLength={LIMITS.displayName}
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.fields.displayName}
      />
      <div>
        <Button type="submit" loading={busy} loadingText={t('reset.saving')}>
          {t('settings.saveName')}
        </Button>
      </div>
    </form>
  );
}
