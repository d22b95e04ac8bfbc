'use client';
import { useState } from 'react';
import { Button } from '@/components/Button';
import { FormAlert } from '@/components/FormAlert';
import styles from './mfa.module.css';

/** Shown once, right after enabling or making a new set: the API keeps only hashes. */
export function RecoveryCodes({ codes, email, notice, onDone }: { codes: string[]; email: string; notice: string; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  const text = `Portcullis recovery codes for ${email}\nEach code works once. Keep them somewhere safe.\n\n${codes.join('\n')}\n`;

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
        <strong>Save these recovery codes now.</strong> If you lose your phone, each one lets you sign in once. They will not be shown again.
      </p>
      <ul className={styles.codes} aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className={styles.actions}>
        <Button variant="secondary" onClick={copy}>
          {copied ? 'Copied' : 'Copy codes'}
        </Button>
        <Button variant="secondary" onClick={download}>
          Download codes
        </Button>
        <Button onClick={onDone}>I’ve saved them</Button>
      </div>
    </div>
  );
}
