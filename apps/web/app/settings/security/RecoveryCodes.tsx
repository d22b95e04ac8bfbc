'use client';
import { useState } from 'react';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import { useT } from '@/lib/i18n/client';
import styles from './mfa.module.css';

/** Shown once, right after enabling or making a new set: the API keeps only hashes. */
export function RecoveryCodes({ codes, email, notice, onDone }: { codes: string[]; email: string; notice: string; onDone(): void }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const text = `${t('security.codesFile', { email })}\n\n${codes.join('\n')}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'portcullis-recovery-codes.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }

  return (
    <div className="stack">
      <FormAlert tone="success">{notice}</FormAlert>
      <p>
        <strong>{t('security.codesSaveNow')}</strong> {t('security.codesSaveWhy')}
      </p>
      <ul className={styles.codes} aria-label={t('security.codesList')} data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className={styles.actions}>
        <Button variant="secondary" onClick={copy}>
          {copied ? t('security.codesCopied') : t('security.codesCopy')}
        </Button>
        <Button variant="secondary" onClick={download}>
          {t('security.codesDownload')}
        </Button>
        <Button onClick={onDone}>{t('security.codesSaved')}</Button>
      </div>
    </div>
  );
}
