'use client';
import { LIMITS } from '@portcullis/contract/limits';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/Button';
import { Field } from '@/components/Field';
import { FormAlert } from '@/components/FormAlert';
import { formErrorsFrom, type FormErrors } from '@/lib/form-errors';
import { useT } from '@/lib/i18n/client';
import { rich } from '@/lib/i18n/rich';
import styles from './projects.module.css';

export interface ProjectInput {
  name: string;
  description: string;
}

/** Name and description of a project, for creating one or changing it. */
export function ProjectForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial?: ProjectInput;
  submitLabel: string;
  onSubmit(input: ProjectInput): Promise<void>;
  onCancel?(): void;
}) {
  const t = useT();
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [saving, setSaving] = useState(false);
  const descriptionId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setErrors({ fields: {} });
    try {
      await onSubmit({ name, description });
      if (!initial) {
        setName('');
        setDescription('');
      }
    } catch (err) {
      setErrors(formErrorsFrom(err, ['name', 'description']));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <FormAlert>{errors.message}</FormAlert>
      <Field
        label={t('projects.name')}
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.fields.name}
        maxLength={LIMITS.projectName}
        required
        autoComplete="off"
      />
      <div className={styles.textareaField}>
        <label className={styles.label} htmlFor={descriptionId}>
          {rich(t('projects.descriptionField'), { optional: <span className="muted">{t('projects.optional')}</span> })}
        </label>
        <textarea
          id={descriptionId}
          name="description"
          className={styles.textarea}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={LIMITS.projectDescription}
          rows={3}
          aria-invalid={errors.fields.description ? true : undefined}
          aria-describedby={errors.fields.description ? `${descriptionId}-error` : undefined}
        />
        {errors.fields.description && (
          <p id={`${descriptionId}-error`} className={styles.fieldError}>
            ⚠ {errors.fields.description}
          </p>
        )}
      </div>
      <div className={styles.formActions}>
        <Button type="submit" loading={saving}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel} disabled={saving}>
            {t('projects.cancel')}
          </Button>
        )}
      </div>
    </form>
  );
}
